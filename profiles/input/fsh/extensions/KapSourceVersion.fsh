Extension: KapSourceVersion
Id: kap-source-version
Title: "KAP Source Version"
Description: "The clinic's version of the episode (integer, 1 or more), so later versions supersede earlier ones."
* insert KapExtensionMeta
* ^context[+].type = #element
* ^context[=].expression = "EpisodeOfCare"
* value[x] only integer
* value[x] 1..1
* obeys kap-9
