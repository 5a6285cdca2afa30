import CartaCore
import Foundation
import Yams

extension StudyFileReader {
    /// Reads `settings`: each section is decoded strictly into the core type the rules use (unknown
    /// keys and wrong shapes are problems with their path), then validated by that type.
    /// Source: issue 6 items 1 and 3; docs/study-file.md "Settings".
    func readSettings(_ c: YAMLCursor) -> StudySettings {
        var s = StudySettings.defaults
        guard c.mapping(known: StudySettings.sectionNames, required: false) else { return s }
        decode(c, "eligibility", into: &s.eligibility)
        decode(c, "response", into: &s.response)
        decode(c, "responseReporting", into: &s.responseReporting)
        decode(c, "conmed", into: &s.conmed)
        decode(c, "crcl", into: &s.crcl)
        decode(c, "dosingLimits", into: &s.dosingLimits)
        decode(c, "lymphodepletion", into: &s.lymphodepletion)
        decode(c, "carT", into: &s.carT)
        decode(c, "questionnaire", into: &s.questionnaire)
        decode(c, "adverseEvents", into: &s.adverseEvents)
        // The limits are set once, in dosingLimits, so both regimens block on the same values.
        for regimen in ["lymphodepletion", "carT"] where c.child(regimen).child("limits").node != nil {
            c.child(regimen).child("limits").problem("set dosing limits once, in settings.dosingLimits")
        }
        s.lymphodepletion.limits = s.dosingLimits
        s.carT.limits = s.dosingLimits
        check(c) { try s.eligibility.validate(prefix: "settings.eligibility") }
        check(c) { try s.response.validate(prefix: "settings.response") }
        check(c) { try s.conmed.validate(prefix: "settings.conmed") }
        check(c) { try s.questionnaire.validate(prefix: "settings.questionnaire") }
        check(c) { _ = try s.lymphodepletion.validate(field: "settings.lymphodepletion") }
        check(c) { try s.carT.validate(field: "settings.carT") }
        return s
    }

    /// Decodes section `key` of `c` into `value` when present, reporting a problem otherwise.
    private func decode<T: Decodable>(_ c: YAMLCursor, _ key: String, into value: inout T) {
        let section = c.child(key)
        guard section.isPresent, let node = section.node else { return }
        do {
            value = try YAMLDecoder().decode(StrictDecoding.Capture<T>.self, from: node).value
        } catch let e as CalculatorError {
            report(e, under: section)
        } catch {
            section.problem("cannot be read: \(error)")
        }
    }

    /// Runs a core `validate` and reports its error at the field it names.
    private func check(_ c: YAMLCursor, _ validate: () throws -> Void) {
        do { try validate() } catch let e as CalculatorError { report(e, under: nil, root: c) } catch { c.problem("\(error)") }
    }

    /// Reports a core error as a problem: the path is `section.field` (or the full field when the
    /// error already names it from `settings`), the line that of the offending node.
    private func report(_ e: CalculatorError, under section: YAMLCursor?, root: YAMLCursor? = nil) {
        var field = e.field ?? ""
        if field == "input" { field = "" }
        var message = e.message
        if let f = e.field, message.hasPrefix("\(f): ") { message.removeFirst(f.count + 2) }
        if let section {
            let path = field.isEmpty ? section.path : "\(section.path).\(field)"
            log.add(path, section.line(at: field) ?? section.here, message)
        } else if let root {
            let relative = field.hasPrefix("\(root.path).") ? String(field.dropFirst(root.path.count + 1)) : ""
            log.add(field.isEmpty ? root.path : field, root.line(at: relative) ?? root.here, message)
        }
    }
}
