import CartaCore
import Foundation

/// Reads the `eligibility` section: criteria and their rules, checked against the study's items
/// and settings; `choose` nodes are resolved to the option selected in `settings.eligibility`.
///
/// Source: spec/clinical.md §0.4; issue 2 scope item 2; docs/study-file.md "Rule kinds".
struct RuleReader {
    let log: ProblemLog
    let items: [String: ItemDefinition]
    let settings: StudySettings
    let ageRange: AgeRange

    static let kinds = ["attestation", "age", "compare", "limit", "coded", "all", "any", "withinDays", "choose"]

    func readEligibility(_ c: YAMLCursor) -> StudyEligibility {
        var result = StudyEligibility(consentDateItem: "", plannedInfusionDateItem: nil, inclusion: [], exclusion: [])
        guard c.mapping(known: ["consentDateItem", "plannedInfusionDateItem", "inclusion", "exclusion"]) else { return result }
        let consent = c.child("consentDateItem")
        if let oid = consent.string(), check(oid, at: consent, types: [.date], use: "the consent date") {
            result.consentDateItem = oid
        }
        let planned = c.child("plannedInfusionDateItem")
        if let oid = planned.string(required: false), check(oid, at: planned, types: [.date], use: "the planned infusion date") {
            result.plannedInfusionDateItem = oid
        }
        var ids = Set<String>()
        func criteria(_ key: String, _ kind: EligibilityCriterion.Kind) -> [EligibilityCriterion] {
            c.child(key).sequence().compactMap { e in
                guard e.mapping(known: ["id", "text", "rule", "note"]) else { return nil }
                let id = e.child("id").string()
                if let id, !ids.insert(id).inserted { e.child("id").problem("duplicate criterion id \"\(id)\"") }
                var readings: [String] = []
                let rule = self.rule(e.child("rule"), readings: &readings, anchorAvailable: result.plannedInfusionDateItem != nil)
                let text = e.child("text").string() ?? ""
                var note = e.child("note").string(required: false)
                if !readings.isEmpty {
                    note = [note, "Reading in force: " + readings.joined(separator: "; ") + "."].compactMap { $0 }.joined(separator: " ")
                }
                guard let id, let rule else { return nil }
                return EligibilityCriterion(id: id, kind: kind, text: text, rule: rule, note: note)
            }
        }
        result.inclusion = criteria("inclusion", .inclusion)
        result.exclusion = criteria("exclusion", .exclusion)
        return result
    }

    /// Checks that `oid` names an item of one of `types`; reports and returns false otherwise.
    func check(_ oid: String, at c: YAMLCursor, types: [ItemType], use: String) -> Bool {
        guard let item = items[oid] else { c.problem("unknown item \"\(oid)\" (no form defines it)"); return false }
        guard types.contains(item.type) else {
            c.problem("item \"\(oid)\" is a \(item.type.rawValue) item; \(use) needs a \(types.map(\.rawValue).joined(separator: " or ")) item")
            return false
        }
        return true
    }

    func op(_ c: YAMLCursor) -> ComparisonOperator? {
        guard let s = c.string() else { return nil }
        guard let o = ComparisonOperator(rawValue: s) else { c.problem("unknown operator \"\(s)\"; use <, <=, > or >="); return nil }
        return o
    }

    func rule(_ c: YAMLCursor, readings: inout [String], anchorAvailable: Bool) -> EligibilityRule? {
        guard c.isPresent else { c.problem("required rule is missing"); return nil }
        guard let entries = c.entries() else { c.problem("expected a rule: a mapping with one of \(Self.kinds.joined(separator: ", "))"); return nil }
        guard entries.count == 1, let (kind, b) = entries.first else {
            c.problem("a rule has exactly one kind (found \(entries.map(\.0).joined(separator: ", ")))"); return nil
        }
        switch kind {
        case "attestation":
            guard let oid = b.string(), check(oid, at: b, types: [.boolean], use: "attestation") else { return nil }
            return .attestation(item: oid)
        case "age":
            guard b.mapping(known: ["minYears", "maxYears", "inclusive"]) else { return nil }
            let lo = b.child("minYears").int(), hi = b.child("maxYears").int()
            let inclusive = b.child("inclusive").bool(default: true) ?? true
            guard let lo, let hi else { return nil }
            if lo > hi { b.problem("minYears \(lo) is greater than maxYears \(hi)"); return nil }
            if lo != ageRange.minYears || hi != ageRange.maxYears {
                b.problem("age rule \(lo)–\(hi) differs from study.ageRange \(ageRange.minYears)–\(ageRange.maxYears)")
            }
            return .age(minYears: lo, maxYears: hi, inclusive: inclusive)
        case "compare":
            guard b.mapping(known: ["item", "op", "value", "unit"]) else { return nil }
            let itemC = b.child("item"), oid = itemC.string()
            let o = op(b.child("op")), value = b.child("value").double()
            let unitC = b.child("unit"), unitText = unitC.string(required: false)
            let itemOK = oid.map { check($0, at: itemC, types: [.decimal, .integer], use: "compare") } ?? false
            guard let oid, itemOK, let o, var value, let item = items[oid] else { return nil }
            if let unit = unitText {
                if let analyte = item.analyte {
                    guard let v = try? UnitConversion.toStandard(value, unit: unit, analyte: analyte) else {
                        unitC.problem("unit \"\(unit)\" is not accepted for \(analyte.rawValue)"); return nil
                    }
                    value = v
                } else if unit != item.unit {
                    unitC.problem("item \"\(oid)\" is recorded in \(item.unit ?? "no unit"), not \"\(unit)\""); return nil
                }
            }
            return .compare(item: oid, analyte: item.analyte, op: o, threshold: value)
        case "limit":
            guard b.mapping(known: ["item", "op", "multiple", "of"]) else { return nil }
            let itemC = b.child("item"), oid = itemC.string()
            let o = op(b.child("op")), multipleC = b.child("multiple"), multiple = multipleC.double()
            let ofC = b.child("of"), of = ofC.string()
            var limit: ReferenceLimit?
            if let of { limit = ReferenceLimit(rawValue: of); if limit == nil { ofC.problem("unknown limit \"\(of)\"; use ULN or LLN") } }
            if let multiple, multiple <= 0 { multipleC.problem("must be greater than 0") }
            let itemOK = oid.map { check($0, at: itemC, types: [.decimal, .integer], use: "limit") } ?? false
            guard let oid, itemOK, let o, let multiple, multiple > 0, let limit else { return nil }
            if items[oid]?.collectsReferenceRange != true {
                itemC.problem("item \"\(oid)\" does not collect a reference range; set collectsReferenceRange: true on it"); return nil
            }
            return .relativeToLimit(item: oid, op: o, multiple: multiple, limit: limit)
        case "coded":
            guard b.mapping(known: ["item", "values"]) else { return nil }
            let itemC = b.child("item"), oid = itemC.string()
            let valuesC = b.child("values"), values = valuesC.strings()
            if valuesC.isPresent && values.isEmpty { valuesC.problem("give at least one code") }
            guard let oid, check(oid, at: itemC, types: [.code], use: "coded"), let item = items[oid], !values.isEmpty else { return nil }
            let known = item.codeList.map(\.code)
            var ok = true
            for v in values where !known.contains(v) {
                valuesC.problem("code \"\(v)\" is not in the code list of \"\(oid)\" (\(known.joined(separator: ", ")))"); ok = false
            }
            return ok ? .coded(item: oid, values: values) : nil
        case "all", "any":
            let parts = b.sequence()
            if case .sequence? = b.node, parts.isEmpty { b.problem("give at least one rule") }
            let rules = parts.map { rule($0, readings: &readings, anchorAvailable: anchorAvailable) }
            guard !rules.isEmpty, !rules.contains(where: { $0 == nil }) else { return nil }
            return kind == "all" ? .all(rules.compactMap { $0 }) : .any(rules.compactMap { $0 })
        case "withinDays":
            return withinDays(b, anchorAvailable: anchorAvailable)
        case "choose":
            return choose(b, readings: &readings, anchorAvailable: anchorAvailable)
        default:
            let hint = YAMLCursor.closest(kind, in: Self.kinds).map { "; did you mean \"\($0)\"?" } ?? ""
            b.problem("unknown rule kind \"\(kind)\"\(hint) (known: \(Self.kinds.joined(separator: ", ")))")
            return nil
        }
    }

    private func withinDays(_ b: YAMLCursor, anchorAvailable: Bool) -> EligibilityRule? {
        guard b.mapping(known: ["item", "before", "days"]) else { return nil }
        let itemC = b.child("item"), oid = itemC.string()
        let beforeC = b.child("before"), before = beforeC.string()
        var anchor: DateAnchor?
        if let before {
            anchor = DateAnchor(rawValue: before)
            if anchor == nil { beforeC.problem("unknown anchor \"\(before)\"; use plannedInfusion or consent") }
            if anchor == .plannedInfusion && !anchorAvailable {
                beforeC.problem("plannedInfusion needs eligibility.plannedInfusionDateItem")
            }
        }
        // `days` is a number, or {setting: NAME} naming an integer setting.
        let daysC = b.child("days")
        var days: Int?
        if case .mapping? = daysC.node {
            if daysC.mapping(known: ["setting"]), let name = daysC.child("setting").string() {
                let windows = settings.eligibility.dayWindows
                if let d = windows[name] { days = d } else {
                    let hint = YAMLCursor.closest(name, in: Array(windows.keys)).map { "; did you mean \"\($0)\"?" } ?? ""
                    daysC.child("setting").problem("\"\(name)\" is not a day-window setting of settings.eligibility\(hint) (known: \(windows.keys.sorted().joined(separator: ", ")))")
                }
            }
        } else if let d = daysC.int() {
            if d < 0 { daysC.problem("must be 0 or more") } else { days = d }
        }
        guard let oid, check(oid, at: itemC, types: [.date], use: "withinDays"), let anchor, let days else { return nil }
        return .withinDays(item: oid, anchor: anchor, days: days)
    }

    private func choose(_ b: YAMLCursor, readings: inout [String], anchorAvailable: Bool) -> EligibilityRule? {
        guard b.mapping(known: ["setting", "options"]) else { return nil }
        let settingC = b.child("setting"), optionsC = b.child("options")
        var choices: [String]?
        let known = settings.eligibility.readings
        if let name = settingC.string() {
            if let reading = known[name] { choices = reading.choices } else {
                let hint = YAMLCursor.closest(name, in: Array(known.keys)).map { "; did you mean \"\($0)\"?" } ?? ""
                settingC.problem("unknown choice setting \"\(name)\"\(hint) (known: \(known.keys.sorted().joined(separator: ", ")))")
            }
        }
        guard optionsC.mapping(known: choices ?? (optionsC.entries() ?? []).map(\.0)), let options = optionsC.entries() else { return nil }
        var picked: EligibilityRule?, valid = true
        let name = settingC.string(required: false) ?? ""
        let selected = known[name]?.selected ?? ""
        for (option, ruleC) in options {
            var nested: [String] = []
            let r = rule(ruleC, readings: &nested, anchorAvailable: anchorAvailable)
            if r == nil { valid = false }
            if option == selected { picked = r; readings += nested }
        }
        guard let choices, valid else { return nil }
        guard let picked else {
            optionsC.problem("no option for \"\(selected)\", the value of setting \(name) (options: \(choices.joined(separator: ", ")))")
            return nil
        }
        readings.insert("\(name) = \(selected)", at: 0)
        return picked
    }
}
