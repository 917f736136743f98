CodeSystem: KapDischargeTransportCS
Id: kap-discharge-transport
Title: "KAP Discharge Transport"
Description: "How the patient went home after a dose (the Spravato label: no driving until the next day after a restful sleep). LOCAL: no standard code found."
* ^status = #draft
* ^caseSensitive = true
* ^content = #complete
* ^experimental = false
* #responsible-adult "Escorted by a responsible adult" "Driven or accompanied home by a responsible adult."
* #taxi-or-rideshare "Taxi or rideshare" "A taxi or rideshare."
* #public-transport "Public transport" "Public transport."
* #walked "Walked" "Walked home."
* #drove-self "Drove self" "The patient drove."
* #other "Other" "Another arrangement."
