import CartaModel
import CartaCore
import CartaStore
import CartaStudy
import CartaWeb
import Foundation
import Hummingbird

extension CartaServices {
    /// The participant page and its forms: screening data, eligibility signature, enrol, screen failure.
    func addParticipantPageRoutes(to router: Router<AppRequestContext>) {
        router.get("/participants/:subjectID", use: page { request, context in
            let user = try context.require(.readStudyData)
            let p = try await self.screening.participant(context.parameters.require("subjectID"))
            let (flashes, clear) = self.takeFlash(request)
            let model = try await self.participantModel(p, viewer: user)
            return try self.html(model, self.layout(context, flashes: flashes, current: .participants), extraHeaders: clear)
        })
        router.post("/participants/:subjectID/screening", use: page { request, context in
            let user = try context.require(.enterData)
            let form = try await self.readForm(request, context)
            let subjectID = try context.parameters.require("subjectID")
            let entries = self.entries(from: form)
            do {
                let result = try await self.screening.saveForms(
                    subjectID: subjectID, forms: entries, expectedVersion: Int(form["version"] ?? "") ?? -1,
                    reason: form["reason"], actor: AuditActor(user: user, source: .web))
                let warned = result.warnings.keys.sorted()
                let flash = warned.isEmpty ? Flash(.success, "Screening data saved.")
                    : Flash(.warning, "Saved, with values outside the expected range for \(warned.joined(separator: ", ")); please double-check them.")
                return self.redirect(WebPaths.participant(subjectID), flash: flash)
            } catch let e as ScreeningService.FormErrors {
                let p = try await self.screening.participant(subjectID)
                let model = try await self.participantModel(p, viewer: user, submitted: entries, errors: e.errors,
                                                            reason: form["reason"] ?? "")
                return try self.html(model, self.layout(context, flashes: [Flash(.error, "Nothing was saved: \(e.errors.count) value(s) need correcting.")], current: .participants), status: .unprocessableContent)
            } catch let e as StoreError where e.code == .conflict {
                let p = try await self.screening.participant(subjectID)
                let model = try await self.participantModel(p, viewer: user, submitted: entries, errors: [],
                                                            reason: form["reason"] ?? "", screeningError: e.message)
                return try self.html(model, self.layout(context, flashes: [Flash(.error, "Nothing was saved: someone else saved this participant first. Your entries are kept below; the current values are in each field's history.")], current: .participants), status: .conflict)
            }
        })
        router.post("/participants/:subjectID/eligibility/sign", use: page { request, context in
            let user = try context.require(.signEligibility)
            let form = try await self.readForm(request, context)
            let subjectID = try context.parameters.require("subjectID")
            guard let decision = EligibilityDecisionKind(rawValue: form["decision"] ?? "") else {
                throw AppError.invalid("decision", "Choose the decision to sign: eligible or not eligible.")
            }
            guard try await self.auth.verify(username: user.username, password: form["password"] ?? "") != nil else {
                return self.redirect(WebPaths.participant(subjectID), flash: Flash(.error, "The password was wrong; the eligibility decision was not signed."))
            }
            _ = try await self.screening.sign(
                subjectID: subjectID, decision: decision, meaning: form["meaning"], expectedVersion: Int(form["version"] ?? "") ?? -1,
                signer: user, actor: AuditActor(user: user, source: .web))
            return self.redirect(WebPaths.participant(subjectID), flash: Flash(.success, "Eligibility decision signed by \(user.displayName)."))
        })
        router.post("/participants/:subjectID/enrol", use: page { request, context in
            let user = try context.require(.enrol)
            let form = try await self.readForm(request, context)
            let subjectID = try context.parameters.require("subjectID")
            let p = try await self.screening.enrol(subjectID: subjectID, expectedVersion: Int(form["version"] ?? "") ?? -1,
                                                   actor: AuditActor(user: user, source: .web))
            return self.redirect(WebPaths.participant(subjectID), flash: Flash(.success, "\(p.subjectID) is enrolled."))
        })
        router.post("/participants/:subjectID/screen-fail", use: page { request, context in
            let user = try context.require(.enrol)
            let form = try await self.readForm(request, context)
            let subjectID = try context.parameters.require("subjectID")
            let reasons = (form["reasons"] ?? "").split(whereSeparator: \.isNewline).map(String.init)
            let p = try await self.screening.screenFail(subjectID: subjectID, reasons: reasons,
                                                        expectedVersion: Int(form["version"] ?? "") ?? -1,
                                                        actor: AuditActor(user: user, source: .web))
            return self.redirect(WebPaths.participant(subjectID), flash: Flash(.success, "Screen failure recorded for \(p.subjectID)."))
        })
    }

    /// Groups posted `item.OID`, `unit.OID`, `lln.OID`, `uln.OID` fields by the study form that owns each item.
    func entries(from form: FormBody) -> [String: [String: ScreeningService.RawEntry]] {
        let values = form.withPrefix("item."), units = form.withPrefix("unit.")
        let lln = form.withPrefix("lln."), uln = form.withPrefix("uln.")
        var out: [String: [String: ScreeningService.RawEntry]] = [:]
        for (oid, raw) in values {
            let owner = study.forms.first { f in f.items.contains { $0.oid == oid } }?.oid ?? study.forms.first?.oid ?? ""
            // Yes/no radios post Y/N, which the item check itself accepts for boolean items.
            out[owner, default: [:]][oid] = .init(value: raw, unit: units[oid], lowerLimitNormal: lln[oid], upperLimitNormal: uln[oid])
        }
        return out
    }
}
