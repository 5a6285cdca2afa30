import CartaCore
import CartaModel
import Foundation

/// The study file's edit checks: each one, when it fails on saved data, raises a query on the item it
/// names; when the data no longer fails it, the query is closed as resolved.
///
/// Source: issue 7 scope 5 ("automatically by edit checks declared in the study file (range, cross-field,
/// cross-visit)"); ICH E6(R3) 4.2.2 (data validation checks are specified and documented).
public struct EditChecks: Hashable, Sendable, Codable {
    /// Whether a value outside its item's `softRange` raises a query (the "range" edit check of every item).
    public var softRangeQueries: Bool
    /// Items whose soft-range query is not raised from a visit on, because a value outside the range is the
    /// expected course there (neutropenia after lymphodepletion), graded elsewhere rather than queried.
    public var softRangeSkips: [SoftRangeSkip]
    /// The declared checks.
    public var checks: [EditCheck]

    public init(softRangeQueries: Bool = false, softRangeSkips: [SoftRangeSkip] = [], checks: [EditCheck] = []) {
        self.softRangeQueries = softRangeQueries
        self.softRangeSkips = softRangeSkips
        self.checks = checks
    }

    /// No soft-range query on `item` at `fromVisit` and every later scheduled visit (schedule order); the study
    /// file says why. An event outside the schedule has no place in that order, so its values are still queried.
    ///
    /// Source: ICH E6(R3) 4.2.2 (data validation checks are specified and documented): the exception is declared
    /// with its reason in the study file, not decided by the program.
    public struct SoftRangeSkip: Hashable, Sendable, Codable {
        public var item: String
        public var fromVisit: String
        public var reason: String
        public init(item: String, fromVisit: String, reason: String) {
            self.item = item; self.fromVisit = fromVisit; self.reason = reason
        }
    }

    /// Whether the soft-range query of `itemOID` is skipped at `event` (`eventOrder`: the schedule's order).
    func skipsSoftRange(_ itemOID: String, at event: EventOID, eventOrder: [EventOID]) -> Bool {
        guard let position = eventOrder.firstIndex(of: event) else { return false }
        return softRangeSkips.contains { skip in
            skip.item == itemOID && eventOrder.firstIndex(of: EventOID(rawValue: skip.fromVisit)).map { $0 <= position } == true
        }
    }

    /// The id of the implicit soft-range check of `itemOID`.
    public static func softRangeID(_ itemOID: String) -> String { "RANGE_\(itemOID)" }
}

/// One declared edit check.
public struct EditCheck: Hashable, Sendable, Codable {
    /// What the check compares.
    public enum Kind: Hashable, Sendable, Codable {
        /// The item's standard value must lie within the range (a range check beyond the item's own ranges).
        case range(ValueRange)
        /// The item compared with another item of the same event (numbers by standard value, dates by date).
        case compare(Comparison, other: String)
        /// The item may differ from its value at the previous event (schedule order) by at most this fraction.
        case change(maxFraction: Double)
    }

    /// A comparison operator, as written in the study file.
    public enum Comparison: String, Hashable, Sendable, Codable, CaseIterable {
        case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">=", equal = "==", notEqual = "!="

        func holds<T: Comparable>(_ a: T, _ b: T) -> Bool {
            switch self {
            case .less: a < b
            case .lessOrEqual: a <= b
            case .greater: a > b
            case .greaterOrEqual: a >= b
            case .equal: a == b
            case .notEqual: a != b
            }
        }
    }

    public var id: String
    /// The item the query is raised on.
    public var item: String
    public var kind: Kind
    /// The query text shown to the site.
    public var message: String

    public init(id: String, item: String, kind: Kind, message: String) {
        self.id = id
        self.item = item
        self.kind = kind
        self.message = message
    }
}

extension Study {
    /// Whether the item's soft range is a concern at `event`: false from the visit a `softRangeSkips` entry names on
    /// (e.g. neutrophils after lymphodepletion, low by design). One answer for the edit-check query, the warning at entry
    /// and the warning beside a stored value, so none of them flags what the study file says is expected.
    public func softRangeApplies(_ itemOID: String, at event: EventOID, eventOrder: [EventOID]? = nil) -> Bool {
        !editChecks.skipsSoftRange(itemOID, at: event, eventOrder: eventOrder ?? schedule.eventOrder)
    }

    /// Every edit check failing on `values` (one participant's), in check order. Pure.
    ///
    /// A check needing a value that is missing (or of the wrong kind) is not failed: missing data are the
    /// form's own "required" rule, not a query. `eventOrder` orders events for the cross-visit checks.
    public func editCheckFindings(_ values: [ItemValue], eventOrder: [EventOID]) -> [EditCheckFinding] {
        let present = values.filter { $0.value.map { !$0.text.isEmpty } == true }
        var findings: [EditCheckFinding] = []
        if editChecks.softRangeQueries {
            for v in present {
                guard let item = item(v.address.itemOID.rawValue), let soft = item.softRange,
                      let x = v.value?.standardValue, !soft.contains(x),
                      softRangeApplies(item.oid, at: v.address.eventOID, eventOrder: eventOrder) else { continue }
                let shown = v.value.map { $0.text + ($0.unit.map { " " + EligibilityFormat.displayUnit($0) } ?? "") } ?? ""
                findings.append(EditCheckFinding(
                    checkID: EditChecks.softRangeID(item.oid), address: v.address,
                    message: "\(item.label) \(shown) is outside the expected range \(soft.text(unit: item.standardUnit ?? "")); please confirm against the source or correct it.",
                    involved: [v.address]))
            }
        }
        for check in editChecks.checks {
            for v in present where v.address.itemOID.rawValue == check.item {
                guard let value = v.value else { continue }
                switch check.kind {
                case .range(let range):
                    guard let x = value.standardValue, !range.contains(x) else { continue }
                    findings.append(EditCheckFinding(checkID: check.id, address: v.address, message: check.message, involved: [v.address]))
                case .compare(let op, let otherOID):
                    guard let other = present.first(where: {
                        $0.address.eventOID == v.address.eventOID && $0.address.itemOID.rawValue == otherOID
                            && $0.address.repeatKey == v.address.repeatKey
                    }), let otherValue = other.value else { continue }
                    let holds: Bool? = {
                        if let a = value.standardValue, let b = otherValue.standardValue { return op.holds(a, b) }
                        if let a = ClinicalDateText(value.text), let b = ClinicalDateText(otherValue.text) { return op.holds(a, b) }
                        return nil
                    }()
                    guard holds == false else { continue }
                    findings.append(EditCheckFinding(checkID: check.id, address: v.address, message: check.message,
                                                     involved: [v.address, other.address]))
                case .change(let maxFraction):
                    guard let x = value.standardValue, let position = eventOrder.firstIndex(of: v.address.eventOID),
                          let previous = present
                            .filter({ $0.address.itemOID == v.address.itemOID && $0.value?.standardValue != nil })
                            .compactMap({ p in eventOrder.firstIndex(of: p.address.eventOID).map { (p, $0) } })
                            .filter({ $0.1 < position })
                            .max(by: { $0.1 < $1.1 })?.0,
                          let before = previous.value?.standardValue, before != 0 else { continue }
                    guard abs(x - before) / abs(before) > maxFraction else { continue }
                    findings.append(EditCheckFinding(checkID: check.id, address: v.address, message: check.message,
                                                     involved: [v.address, previous.address]))
                }
            }
        }
        return findings
    }
}

extension StudySchedule {
    /// Events in protocol order for the cross-visit edit checks: the screening event (stored as
    /// `SCREENING`, the schedule's earliest visit), then the other visits by nominal day.
    public var eventOrder: [EventOID] {
        let sorted = visits.sorted { $0.day < $1.day }
        return [EventOID.screening] + sorted.dropFirst().map { EventOID(rawValue: $0.id) }
    }
}

/// A date stored as `YYYY-MM-DD`, compared as a date (ISO text sorts as the date does).
private struct ClinicalDateText: Comparable {
    let text: String
    init?(_ text: String) {
        guard text.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil else { return nil }
        self.text = text
    }
    static func < (a: Self, b: Self) -> Bool { a.text < b.text }
}
