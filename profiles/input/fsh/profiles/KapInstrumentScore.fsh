Profile: KapInstrumentScore
Parent: Observation
Id: kap-instrument-score
Title: "KAP Instrument Score Profile"
Description: "Result of a questionnaire instrument, derived from its QuestionnaireResponse: the total score (valueInteger: PHQ-9, GAD-7, PCL-5, CADSS-6 ...), or for the C-SSRS, which has no total, the risk level (valueCodeableConcept from kap-cssrs-risk). Components: the PCL-5 cluster B-E scores and provisional PTSD by the DSM-5 rule; a C-SSRS whose answers contradict each other carries `cssrs-inconsistent` true."
* insert KapProfileMeta
* insert KapIdentified
* obeys kap-1 and kap-2 and kap-3 and kap-4 and kap-5 and kap-6 and kap-11 and kap-12
* status MS
* insert KapSurveyCategory
* code MS
* code from KapInstrumentTotalVS (required)
* subject 1..1 MS
* subject only Reference(KapPatient)
* encounter MS
* encounter only Reference(KapSessionEncounter)
* effective[x] only dateTime
* effectiveDateTime 1..1 MS
* value[x] only integer or CodeableConcept
* value[x] 1..1 MS
* valueCodeableConcept from KapCssrsRiskVS (required)
* interpretation 0..1 MS
* interpretation from KapSeverityBandVS (required)
* derivedFrom 1..1 MS
* derivedFrom only Reference(KapQuestionnaireResponse)
* insert KapComponentsByCode
* component contains pcl5ClusterB 0..1 MS and pcl5ClusterC 0..1 MS and pcl5ClusterD 0..1 MS and pcl5ClusterE 0..1 MS and pcl5Dsm5Provisional 0..1 MS and cssrsInconsistent 0..1 MS
* insert KapComponentSlice(pcl5ClusterB, KapObservationCS#pcl5-cluster-b, integer)
* insert KapComponentSlice(pcl5ClusterC, KapObservationCS#pcl5-cluster-c, integer)
* insert KapComponentSlice(pcl5ClusterD, KapObservationCS#pcl5-cluster-d, integer)
* insert KapComponentSlice(pcl5ClusterE, KapObservationCS#pcl5-cluster-e, integer)
* insert KapComponentSlice(pcl5Dsm5Provisional, KapObservationCS#pcl5-dsm5-provisional, boolean)
* insert KapComponentSlice(cssrsInconsistent, KapObservationCS#cssrs-inconsistent, boolean)
