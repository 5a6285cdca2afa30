import CartaCore
import Foundation

/// Reads a study file's YAML tree into a `Study`, reporting every problem with its path.
///
/// Sections are read in dependency order (settings, forms, then everything that refers to items).
/// Source: issue 2 scope item 2; docs/study-file.md.
struct StudyFileReader {
    let log: ProblemLog

    static let topKeys = ["formatVersion", "study", "sites", "settings", "forms", "eligibility", "schedule", "dosing", "endpoints", "editChecks"]

    func read(_ root: YAMLCursor) -> Study? {
        guard root.mapping(known: Self.topKeys) else { return nil }
        let version = root.child("formatVersion").int()
        if let version, version != 1 { root.child("formatVersion").problem("unsupported format version \(version); this Carta reads version 1") }
        let header = readHeader(root.child("study"))
        let settings = readSettings(root.child("settings"))
        let forms = readForms(root.child("forms"))
        let items = Dictionary(forms.flatMap(\.items).map { ($0.oid, $0) }, uniquingKeysWith: { a, _ in a })
        let sites = readSites(root.child("sites"), items: items)
        let rules = RuleReader(log: log, items: items, settings: settings, ageRange: header.ageRange)
        let eligibility = rules.readEligibility(root.child("eligibility"))
        let schedule = readSchedule(root.child("schedule"), formOIDs: Set(forms.map(\.oid)))
        if root.child("dosing").node != nil {
            root.child("dosing").problem("the dosing regimens are settings now: use settings.lymphodepletion, settings.carT and settings.dosingLimits")
        }
        let endpoints = readEndpoints(root.child("endpoints"))
        let editChecks = readEditChecks(root.child("editChecks"), items: items, schedule: schedule)
        guard let pattern = header.pattern else { return nil }
        var study = Study(id: header.id, otherIDs: header.otherIDs, title: header.title, officialTitle: header.officialTitle,
                     sponsor: header.sponsor, phase: header.phase, design: header.design,
                     targetEnrolment: header.target, allowEnrolmentBeyondTarget: header.allowBeyond,
                     subjectIDPattern: pattern, ageRange: header.ageRange, sites: sites, settings: settings,
                     forms: forms, eligibility: eligibility, schedule: schedule, endpoints: endpoints)
        study.editChecks = editChecks
        return study
    }

    struct Header {
        var id = "", otherIDs: [String] = [], title = "", officialTitle: String?, sponsor = "", phase = ""
        var design = StudyDesign(studyType: "", allocation: "", interventionModel: "", masking: "", primaryPurpose: "")
        var target = 0, allowBeyond = false, pattern: SubjectIDPattern?, ageRange = AgeRange(minYears: 0, maxYears: 0)
    }

    func readHeader(_ c: YAMLCursor) -> Header {
        var h = Header()
        guard c.mapping(known: ["id", "otherIDs", "title", "officialTitle", "sponsor", "phase", "design", "targetEnrolment",
                                "allowEnrolmentBeyondTarget", "subjectIDPattern", "ageRange"]) else { return h }
        h.id = c.child("id").string() ?? ""
        h.otherIDs = c.child("otherIDs").strings(required: false)
        h.title = c.child("title").string() ?? ""
        h.officialTitle = c.child("officialTitle").string(required: false)
        h.sponsor = c.child("sponsor").string() ?? ""
        h.phase = c.child("phase").string() ?? ""
        let d = c.child("design")
        if d.mapping(known: ["studyType", "allocation", "interventionModel", "masking", "primaryPurpose"]) {
            h.design = StudyDesign(studyType: d.child("studyType").string() ?? "", allocation: d.child("allocation").string() ?? "",
                                   interventionModel: d.child("interventionModel").string() ?? "",
                                   masking: d.child("masking").string() ?? "", primaryPurpose: d.child("primaryPurpose").string() ?? "")
        }
        let t = c.child("targetEnrolment")
        if let n = t.int() { if n > 0 { h.target = n } else { t.problem("must be greater than 0 (got \(n))") } }
        h.allowBeyond = c.child("allowEnrolmentBeyondTarget").bool(default: false) ?? false
        let p = c.child("subjectIDPattern")
        if let text = p.string() {
            switch SubjectIDPattern.parse(text) {
            case .success(let pattern): h.pattern = pattern
            case .failure(let e): p.problem("\"\(text)\" \(e.message)")
            }
        }
        let a = c.child("ageRange")
        if a.mapping(known: ["minYears", "maxYears"]), let lo = a.child("minYears").int(), let hi = a.child("maxYears").int() {
            if lo < 0 || lo > hi { a.problem("minYears \(lo) must be ≥ 0 and ≤ maxYears \(hi)") }
            h.ageRange = AgeRange(minYears: lo, maxYears: hi)
        }
        return h
    }

    func readSites(_ c: YAMLCursor, items: [String: ItemDefinition]) -> [Site] {
        var seen = Set<String>()
        let sites: [Site] = c.sequence().compactMap { s in
            guard s.mapping(known: ["id", "name", "address", "contact", "timeZone", "laboratories"]) else { return nil }
            let id = s.child("id").string()
            if let id, !seen.insert(id).inserted { s.child("id").problem("duplicate site id \"\(id)\"") }
            let zone = s.child("timeZone")
            let zoneName = zone.string(required: false) ?? "UTC"
            if TimeZone(identifier: zoneName) == nil {
                zone.problem("unknown time zone \"\(zoneName)\"; use an IANA name such as Asia/Shanghai or Europe/Paris")
            }
            return Site(id: id ?? "", name: s.child("name").string() ?? "", address: s.child("address").string() ?? "",
                        contact: s.child("contact").string(required: false), timeZone: zoneName,
                        laboratories: readLaboratories(s.child("laboratories"), items: items))
        }
        if c.isPresent && sites.isEmpty { c.problem("at least one site is required") }
        return sites
    }

    /// A site's laboratories: each range names a lab item that collects a reference range, a unit that item
    /// accepts, at least one limit (non-negative, lower ≤ upper) and the date it applies from; one range per item and date.
    func readLaboratories(_ c: YAMLCursor, items: [String: ItemDefinition]) -> [Laboratory] {
        guard c.isPresent else { return [] }
        var labIDs = Set<String>()
        return c.sequence().compactMap { l in
            guard l.mapping(known: ["id", "name", "ranges"]) else { return nil }
            let id = l.child("id").string() ?? ""
            if !labIDs.insert(id).inserted { l.child("id").problem("duplicate laboratory id \"\(id)\"") }
            var seen = Set<String>()
            let ranges: [LabReferenceRange] = l.child("ranges").sequence().compactMap { r in
                guard r.mapping(known: ["item", "unit", "lln", "uln", "from"]) else { return nil }
                let oid = r.child("item").string() ?? ""
                guard let item = items[oid] else { r.child("item").problem("no form has an item \"\(oid)\""); return nil }
                guard item.collectsReferenceRange else {
                    r.child("item").problem("\(oid) does not collect a reference range (collectsReferenceRange: true)"); return nil
                }
                let unit = r.child("unit").string() ?? ""
                if !item.acceptsUnit(unit) {
                    r.child("unit").problem("\(oid) is not entered in \"\(unit)\"; use one of \(item.acceptedUnits.joined(separator: ", "))")
                }
                let lln = r.child("lln").double(required: false), uln = r.child("uln").double(required: false)
                if lln == nil && uln == nil { r.problem("give lln, uln or both") }
                for (key, x) in [("lln", lln), ("uln", uln)] where (x ?? 0) < 0 { r.child(key).problem("must not be negative") }
                if let lo = lln, let hi = uln, lo > hi { r.child("lln").problem("\(lo) is above uln \(hi)") }
                guard let fromText = r.child("from").string(), let from = ClinicalDate(iso: fromText) else {
                    r.child("from").problem("must be a date YYYY-MM-DD"); return nil
                }
                if !seen.insert("\(oid)|\(from)").inserted { r.problem("a second range of \(oid) from \(from)") }
                return LabReferenceRange(item: oid, unit: unit, lowerLimitNormal: lln, upperLimitNormal: uln, from: from)
            }
            return Laboratory(id: id, name: l.child("name").string() ?? "", ranges: ranges)
        }
    }
}
