import CartaCore
import Foundation
import Yams

extension StudyFileReader {
    static let itemKeys = ["oid", "label", "type", "analyte", "unit", "allowedUnits", "loinc", "hardRange", "softRange",
                           "codeList", "required", "collectsReferenceRange", "help", "critical", "futureAllowed", "ageInYears"]

    /// Reads `forms`: unique form and item OIDs, typed items with valid units, ranges and code lists.
    func readForms(_ c: YAMLCursor) -> [FormDefinition] {
        var formOIDs = Set<String>(), itemOIDs = Set<String>()
        let forms: [FormDefinition] = c.sequence().compactMap { f in
            guard f.mapping(known: ["oid", "name", "help", "items", "entry"]) else { return nil }
            let oid = oidField(f.child("oid"))
            if let oid, !formOIDs.insert(oid).inserted { f.child("oid").problem("duplicate form OID \"\(oid)\"") }
            let itemCursors = f.child("items").sequence()
            if case .sequence? = f.child("items").node, itemCursors.isEmpty { f.child("items").problem("a form needs at least one item") }
            let items: [ItemDefinition] = itemCursors.compactMap { i in
                let item = readItem(i)
                if let item, !itemOIDs.insert(item.oid).inserted {
                    i.child("oid").problem("duplicate item OID \"\(item.oid)\" (item OIDs are unique across all forms)")
                }
                return item
            }
            let name = f.child("name").string() ?? "", help = f.child("help").string(required: false)
            let entry = f.child("entry").choice(FormEntry.self, required: false) ?? .anyone
            guard let oid else { return nil }
            return FormDefinition(oid: oid, name: name, help: help, items: items, entry: entry)
        }
        return forms
    }

    func oidField(_ c: YAMLCursor) -> String? {
        guard let s = c.string() else { return nil }
        guard s.wholeMatch(of: /[A-Za-z][A-Za-z0-9_.]*/) != nil else {
            c.problem("\"\(s)\" is not a valid OID (a letter, then letters, digits, '_' or '.')"); return nil
        }
        return s
    }

    func readItem(_ c: YAMLCursor) -> ItemDefinition? {
        guard c.mapping(known: Self.itemKeys) else { return nil }
        let oid = oidField(c.child("oid"))
        let label = c.child("label").string() ?? ""
        let typeC = c.child("type")
        var type: ItemType?
        if let t = typeC.string() {
            type = ItemType(rawValue: t)
            if type == nil { typeC.problem("unknown type \"\(t)\"; use one of \(ItemType.allCases.map(\.rawValue).joined(separator: ", "))") }
        }
        let numeric = type?.isNumeric ?? false
        func onlyFor(_ key: String, _ allowed: Bool, _ what: String) {
            if c.child(key).isPresent && !allowed && type != nil { c.child(key).problem("only \(what) items have \(key)") }
        }
        var analyte: Analyte?
        let aC = c.child("analyte")
        if let a = aC.string(required: false) {
            analyte = Analyte(rawValue: a)
            if analyte == nil { aC.problem("unknown analyte \"\(a)\"; known: \(Analyte.allCases.map(\.rawValue).joined(separator: ", "))") }
        }
        onlyFor("analyte", numeric, "numeric")
        onlyFor("unit", numeric, "numeric")
        onlyFor("allowedUnits", numeric, "numeric")
        onlyFor("hardRange", numeric, "numeric")
        onlyFor("softRange", numeric, "numeric")
        onlyFor("collectsReferenceRange", numeric, "numeric")
        onlyFor("codeList", type == .code, "code")
        let unitC = c.child("unit")
        let unit = unitC.string(required: false)
        let allowedC = c.child("allowedUnits")
        let allowed = allowedC.strings(required: false)
        if let analyte {
            if let unit {
                if !UnitConversion.accepts(unit, for: analyte) { unitC.problem(unitMessage(unit, analyte)) }
            } else {
                unitC.problem("required for an item with analyte \(analyte.rawValue); use \(analyte.standardUnit)")
            }
            for (i, u) in allowed.enumerated() where !UnitConversion.accepts(u, for: analyte) {
                log.add("\(allowedC.path)[\(i)]", allowedC.here, unitMessage(u, analyte))
            }
        }
        let hard = readRange(c.child("hardRange")), soft = readRange(c.child("softRange"))
        if let hard, let soft, !soft.isWithin(hard) { c.child("softRange").problem("must lie within hardRange") }
        var codes: [CodeListEntry] = []
        let clC = c.child("codeList")
        if type == .code {
            var seen = Set<String>()
            let entries = clC.sequence()
            if case .sequence? = clC.node, entries.isEmpty { clC.problem("a code item needs at least one code") }
            codes = entries.compactMap { e in
                guard e.mapping(known: ["code", "label"]), let code = e.child("code").string() else { return nil }
                if !seen.insert(code).inserted { e.child("code").problem("duplicate code \"\(code)\"") }
                return CodeListEntry(code: code, label: e.child("label").string() ?? "")
            }
        }
        let loincC = c.child("loinc")
        let loinc = loincC.string(required: false)
        if let loinc, loinc.wholeMatch(of: /\d{1,7}-\d/) == nil { loincC.problem("\"\(loinc)\" is not a LOINC code (digits, '-', check digit)") }
        let required = c.child("required").bool(default: false) ?? false
        let collects = c.child("collectsReferenceRange").bool(default: false) ?? false
        let help = c.child("help").string(required: false)
        let critical = c.child("critical").bool(default: false) ?? false
        let futureC = c.child("futureAllowed")
        let futureAllowed = futureC.bool(default: false) ?? false
        if futureAllowed, let type, type != .date { futureC.problem("only a date item can allow dates after today (this item is \(type.rawValue))") }
        let ageC = c.child("ageInYears")
        let ageInYears = ageC.bool(default: false) ?? false
        if ageInYears, let type, type != .integer { ageC.problem("an age in years is an integer item (this item is \(type.rawValue))") }
        guard let oid, let type else { return nil }
        var item = ItemDefinition(oid: oid, label: label, type: type, analyte: analyte, unit: unit, allowedUnits: allowed,
                                  loinc: loinc, hardRange: hard, softRange: soft, codeList: codes,
                                  required: required, collectsReferenceRange: collects, help: help, critical: critical)
        item.futureAllowed = futureAllowed
        item.ageInYears = ageInYears
        return item
    }

    func unitMessage(_ unit: String, _ analyte: Analyte) -> String {
        "unit \"\(unit)\" is not accepted for \(analyte.rawValue); use one of \(UnitConversion.acceptedUnits(for: analyte).joined(separator: ", "))"
    }

    func readRange(_ c: YAMLCursor) -> ValueRange? {
        guard c.isPresent, c.mapping(known: ["min", "max"]) else { return nil }
        let lo = c.child("min").double(required: false), hi = c.child("max").double(required: false)
        if lo == nil && hi == nil { c.problem("give min, max or both"); return nil }
        if let lo, let hi, lo > hi { c.problem("min \(EligibilityFormat.number(lo)) is greater than max \(EligibilityFormat.number(hi))"); return nil }
        return ValueRange(min: lo, max: hi)
    }
}
