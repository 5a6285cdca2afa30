/// The ten items of the Immune effector Cell-associated Encephalopathy (ICE) screen; the score is
/// computed from them, never typed in.
///
/// Source: spec/clinical.md §5.2 ICE table (orientation 4, naming 3, commands 1, writing 1, attention 1).
public struct ICEItems: Codable, Hashable, Sendable {
    public let orientedToYear: Bool
    public let orientedToMonth: Bool
    public let orientedToCity: Bool
    public let orientedToHospital: Bool
    public let namedObject1: Bool
    public let namedObject2: Bool
    public let namedObject3: Bool
    /// Follows simple commands (e.g. "show me 2 fingers").
    public let followsCommands: Bool
    /// Writes a standard sentence.
    public let writesStandardSentence: Bool
    /// Counts backwards from 100 by 10.
    public let countsBackwardsFrom100By10: Bool

    /// Creates the value from its parts (no validation; calculators validate input).
    public init(orientedToYear: Bool, orientedToMonth: Bool, orientedToCity: Bool, orientedToHospital: Bool,
                namedObject1: Bool, namedObject2: Bool, namedObject3: Bool, followsCommands: Bool,
                writesStandardSentence: Bool, countsBackwardsFrom100By10: Bool) {
        self.orientedToYear = orientedToYear; self.orientedToMonth = orientedToMonth
        self.orientedToCity = orientedToCity; self.orientedToHospital = orientedToHospital
        self.namedObject1 = namedObject1; self.namedObject2 = namedObject2; self.namedObject3 = namedObject3
        self.followsCommands = followsCommands; self.writesStandardSentence = writesStandardSentence
        self.countsBackwardsFrom100By10 = countsBackwardsFrom100By10
    }

    /// Items in table order: year, month, city, hospital, 3 objects, commands, writing, attention.
    public var items: [Bool] {
        [orientedToYear, orientedToMonth, orientedToCity, orientedToHospital, namedObject1, namedObject2,
         namedObject3, followsCommands, writesStandardSentence, countsBackwardsFrom100By10]
    }

    /// ICE score 0–10: one point per item done correctly.
    public var score: Int { items.filter { $0 }.count }

    /// Items with the first `score` items correct and the rest wrong (tests and examples).
    public static func withScore(_ score: Int) -> ICEItems {
        let b = (0..<10).map { $0 < score }
        return ICEItems(orientedToYear: b[0], orientedToMonth: b[1], orientedToCity: b[2], orientedToHospital: b[3],
                        namedObject1: b[4], namedObject2: b[5], namedObject3: b[6], followsCommands: b[7],
                        writesStandardSentence: b[8], countsBackwardsFrom100By10: b[9])
    }
}
