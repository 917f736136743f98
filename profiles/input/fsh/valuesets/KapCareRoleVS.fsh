ValueSet: KapCareRoleVS
Id: kap-care-role-vs
Title: "KAP Care Role"
Description: "Care-team roles in a KAP episode."
* ^status = #draft
* ^experimental = false
* include codes from system KapCareRoleCS
