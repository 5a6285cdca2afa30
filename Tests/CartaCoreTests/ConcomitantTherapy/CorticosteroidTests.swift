import Testing
@testable import CartaCore

/// spec/clinical.md §9.2 prednisone-equivalence table.
struct CorticosteroidTests {
    // spec/clinical.md §9.2: drug, dose equivalent to prednisone 5 mg, factor to prednisone mg (2 decimals in the table).
    @Test(arguments: [
        ("prednisone", 5.0, 1.0), ("prednisolone", 5, 1.0), ("methylprednisolone", 4, 1.25), ("triamcinolone", 4, 1.25),
        ("dexamethasone", 0.75, 6.67), ("betamethasone", 0.6, 8.33), ("hydrocortisone", 20, 0.25), ("cortisone", 25, 0.2),
    ])
    func equivalenceTable(name: String, equivalentMg: Double, factor: Double) throws {
        let c = try #require(Corticosteroid(name: name))
        #expect(c.mgEquivalentToPrednisone5mg == equivalentMg)
        #expect(abs(c.prednisoneFactor - factor) < 0.005)
        #expect(abs(c.prednisoneEquivalentMg(equivalentMg) - 5) < 1e-12)
    }

    // spec/clinical.md §9.2 test: dexamethasone 40 mg/day → 266.7 mg prednisone-equivalent/day.
    @Test func dexamethasone40() {
        let v = Corticosteroid.dexamethasone.prednisoneEquivalentMg(40)
        #expect((v * 10).rounded() / 10 == 266.7)
    }

    @Test func namesAreCaseInsensitiveAndUnknownIsAnError() throws {
        #expect(Corticosteroid(name: " Dexamethasone ") == .dexamethasone)
        #expect(throws: CalculatorError.self) { try Corticosteroid.named("cortisol-x", field: "x.drug") }
        do { _ = try Corticosteroid.named("cortisol-x", field: "x.drug") } catch let e as CalculatorError {
            #expect(e.field == "x.drug" && e.message.contains("dexamethasone"))
        }
    }
}
