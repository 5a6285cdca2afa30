import CartaStore
import CartaTrial
import Testing

/// Store refusals become workflow codes; driver failures stay store errors (a 5xx, not a user mistake).
/// Source: DESIGN.md §4 (one small error type per module, mapped at each boundary).
@Suite struct WorkflowErrorTests {
    @Test(arguments: [
        (StoreError.Code.conflict, WorkflowError.Code?.some(.conflict)),
        (.notFound, .notFound),
        (.invalidState, .invalidState),
        (.enrolmentFull, .enrolmentFull),
        (.constraint, nil),
        (.database, nil),
        (.invalidConfiguration, nil),
    ])
    func storeCodes(_ code: StoreError.Code, _ expected: WorkflowError.Code?) {
        #expect(WorkflowError(StoreError(code, "x"))?.code == expected)
    }

    @Test func invalidInputNamesEveryField() {
        let e = WorkflowError.invalidInput([.init(field: "item.HGB", message: "Hb too high."), .init(field: "lln.HGB", message: "LLN negative.")])
        #expect(e.code == .invalidInput)
        #expect(e.field == "item.HGB")
        #expect(e.message == "Hb too high. LLN negative.")
        #expect(WorkflowError.Code.allCases.map(\.rawValue).contains("not_eligible"))
    }
}
