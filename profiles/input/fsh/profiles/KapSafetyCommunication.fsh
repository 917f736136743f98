Profile: KapSafetyCommunication
Parent: Communication
Id: kap-safety-communication
Title: "KAP Safety Communication Profile"
Description: "The message that carries a KAP safety signal to the prescriber."
* insert KapProfileMeta
* insert KapIdentified
* obeys kap-10
* status MS
* priority 1..1 MS
* subject 1..1 MS
* subject only Reference(KapPatient)
* about 1..* MS
* about only Reference(KapSafetySignal)
* recipient MS
* sent MS
* payload 1..* MS
* payload.content[x] only string or Reference(KapSafetySignal)
