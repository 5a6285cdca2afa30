import CartaModel

extension ParticipantPage {
    /// One item of a screening form, with everything its input needs decided in advance.
    ///
    /// Input names: `item.<OID>`, `unit.<OID>`, `lln.<OID>`, `uln.<OID>`; element ids replace the dot
    /// with a dash (`item-<OID>`). Source: issue 2 §6 and §3 (value as entered, unit, reference range);
    /// spec/clinical.md §10.2 (LOINC codes).
    public struct FormItem: Sendable, Equatable {
        /// The input control an item needs.
        public enum Kind: String, Sendable {
            case number, text, date, select, yesNo = "yes_no"
        }

        /// Item OID from the study file.
        public let oid: String
        /// Visible label.
        public let label: String
        /// `number`, `text`, `date`, `select` or `yes_no` (the input's `data-kind`).
        public let kind: String
        /// Kind flags for the template (exactly one is true).
        public let isNumber: Bool, isText: Bool, isDate: Bool, isSelect: Bool, isYesNo: Bool
        /// Current value as entered.
        public let value: String
        /// Choices for `select` and `yes_no` items.
        public let choices: [SelectOption]
        /// Unit choices when several units are allowed (select `unit.<OID>`); empty otherwise.
        public let units: [SelectOption]
        /// Whether `units` offers a choice (then the unit select is shown).
        public let hasUnitChoice: Bool
        /// The only allowed unit, shown as text, when there is exactly one.
        public let fixedUnit: String?
        /// The lab's reference range inputs, for lab items.
        public let referenceRange: ReferenceRange?
        /// Hard error: the value was refused (names the field and the rule).
        public let itemError: String?
        /// Soft warning: the value was kept but is outside the expected range.
        public let itemWarning: String?
        /// Help text.
        public let helpText: String?
        /// LOINC code, shown subtly.
        public let loinc: String?
        /// Space-separated ids of the help, error and warning texts (`aria-describedby`), if any.
        public let describedBy: String?
        /// Whether `itemError` is set (`aria-invalid`).
        public let invalid: Bool
        /// The item's audit history, shown in the order given.
        public let history: [HistoryEntry]
        /// Whether there is any history (the table is shown only then).
        public let hasHistory: Bool
        /// Number of history entries.
        public let historyCount: Int
        /// The reason-for-change controls, for a saved value the viewer may change; nil otherwise.
        public let changeReason: ChangeReasonField?
        /// After a conflict: what the user had entered, beside the value now saved (issue 7).
        public let conflict: String?
        /// The CTCAE v5.0 grade of the saved value (visit pages), e.g. "CTCAE v5.0 Neutrophil count decreased: grade 3".
        public let grade: String?
        /// After a value was held as a likely unit slip: the label of the `confirm.<OID>` checkbox ("140 kg is right as typed").
        public let confirmPrompt: String?

        /// Creates a form item. `units` with one entry becomes `fixedUnit`.
        public init(
            oid: String, label: String, kind: Kind, value: String = "", choices: [SelectOption] = [],
            units: [SelectOption] = [], referenceRange: ReferenceRange? = nil, error: String? = nil,
            warning: String? = nil, help: String? = nil, loinc: String? = nil, history: [HistoryEntry] = [],
            changeReason: ChangeReasonField? = nil, conflict: String? = nil, grade: String? = nil, confirmPrompt: String? = nil
        ) {
            self.oid = oid
            self.label = label
            self.kind = kind.rawValue
            (isNumber, isText, isDate, isSelect, isYesNo) =
                (kind == .number, kind == .text, kind == .date, kind == .select, kind == .yesNo)
            self.value = value
            self.choices = kind == .yesNo && choices.isEmpty ? Self.yesNoChoices(current: value) : choices
            self.units = units.count > 1 ? units : []
            self.hasUnitChoice = units.count > 1
            self.fixedUnit = units.count == 1 ? units[0].label : nil
            self.referenceRange = referenceRange
            self.itemError = error
            self.itemWarning = warning
            self.helpText = help
            self.loinc = loinc
            var ids: [String] = []
            if help != nil { ids.append("help-" + oid) }
            if error != nil { ids.append("error-" + oid) }
            if warning != nil { ids.append("warning-" + oid) }
            if grade != nil { ids.append("grade-" + oid) }
            if conflict != nil { ids.append("conflict-" + oid) }
            describedBy = ids.isEmpty ? nil : ids.joined(separator: " ")
            invalid = error != nil
            self.history = history
            hasHistory = !history.isEmpty
            historyCount = history.count
            self.changeReason = changeReason
            self.conflict = conflict
            self.grade = grade
            self.confirmPrompt = confirmPrompt
        }

        /// Yes/No choices with the CDISC NY codes `Y` and `N`.
        public static func yesNoChoices(current: String?) -> [SelectOption] {
            SelectOption.list([("Y", "Yes"), ("N", "No")], current: current)
        }
    }

    /// The reason for changing one saved value: a coded reason (`reason.<OID>`) and the person's words
    /// (`reasonText.<OID>`), beside the value (issue 7 scope 3: reasons belong to each changed value).
    public struct ChangeReasonField: Sendable, Equatable {
        /// The coded reasons, with an empty first choice ("only if you change this value").
        public let codes: [SelectOption]
        /// The words typed.
        public let text: String
        /// Shown open (after an error, or when a reason was already chosen).
        public let open: Bool
        /// Why the save was refused for this value (e.g. no reason given).
        public let error: String?

        /// Creates the controls with `selected` code and `text` echoed.
        public init(selected: String?, text: String = "", error: String? = nil) {
            codes = SelectOption.list([("", "— only if you change this value —")] + ChangeReason.Code.allCases.map { ($0.rawValue, $0.label) },
                                      current: selected ?? "")
            self.text = text
            self.error = error
            open = error != nil || (selected?.isEmpty == false) || !text.isEmpty
        }
    }

    /// The lab's lower and upper limits of normal for one result, in the result's unit.
    public struct ReferenceRange: Sendable, Equatable {
        /// Lower limit of normal as entered.
        public let lln: String
        /// Upper limit of normal as entered.
        public let uln: String

        /// The site laboratory's range in force, which Carta uses when both boxes are left blank (shown as
        /// placeholders and in words), e.g. "115–150 g/L (Central laboratory, from 2026-01-01)".
        public let laboratory: String?
        public let llnPlaceholder: String
        public let ulnPlaceholder: String

        /// Creates a reference range.
        public init(lln: String = "", uln: String = "", laboratory: String? = nil, llnPlaceholder: String = "", ulnPlaceholder: String = "") {
            self.lln = lln
            self.uln = uln
            self.laboratory = laboratory
            self.llnPlaceholder = llnPlaceholder
            self.ulnPlaceholder = ulnPlaceholder
        }
    }
}
