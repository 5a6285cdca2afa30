/// The forms and items of the CAR-T product chain and the visit form that the conduct workflow reads:
/// a study file that schedules these steps defines these OIDs (the NCT05315778 file does).
///
/// Source: spec/clinical.md §7 (apheresis, manufacturing, LD D−5…−3, D0 infusion), §6.4 (fractions,
/// bags), issue 8 scope 2–5 (chain of identity; order of events, standards.md R-OS-1).
public enum ProductChain {
    public static let visitForm = "F_VISIT", visitDate = "VISIT_DATE"
    public static let apheresisForm = "F_APHERESIS", apheresisDate = "APH_DATE"
    public static let productForm = "F_PRODUCT", released = "RELEASED", releaseDate = "RELEASE_DATE", lot = "LOT_ID"
    /// The product's bag identifiers, one per fraction.
    public static let bagItems = ["BAG_1", "BAG_2", "BAG_3"]
    public static let lymphodepletionForm = "F_LD_ADMIN", lymphodepletionDate = "LD_DATE"
    public static let infusionForm = "F_INFUSION", infusionDate = "INF_DATE", fraction = "FRACTION", infusedBag = "INF_BAG", cellsInfused = "INF_CELLS"
    /// The investigator's reason for giving a later fraction when the hold rule leaves it to them.
    public static let infusionDecision = "INF_DECISION"
    /// The investigator's hold or signed override of the hold rule before a later fraction (spec §6.4; issue 8 scope 4).
    public static let holdForm = "F_INF_HOLD", holdAction = "HOLD_ACTION", holdReason = "HOLD_REASON"
    /// End of study / early termination: its date ends the participant's data (R-OS-1).
    public static let dispositionForm = "F_DISPOSITION", dispositionStatus = "DISP_STATUS", dispositionDate = "DISP_DATE", dispositionReason = "DISP_REASON"
    /// The planned infusion date recorded at screening (provisional Day 0).
    public static let plannedInfusionDate = "PLANNED_INFUSION_DATE"
    /// The date screening data are dated by (the consent date), e.g. to pick the laboratory range in force.
    public static let screeningDate = "CONSENT_DATE"
    /// The items that date a visit (the first recorded, in the visit's form order). Event dates recorded at
    /// a visit — a transfusion's, a rescue therapy's — never date the visit itself.
    public static let visitDateItems: Set<String> = [visitDate, apheresisDate, releaseDate, lymphodepletionDate, infusionDate]
}
