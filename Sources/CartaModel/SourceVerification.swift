import Foundation

/// A monitor's mark that a stored value agrees with the source document. The mark belongs to the value
/// as it was when verified (its last-change time): any later change leaves the mark behind, so the value
/// shows as "changed since verification" on every path without anyone having to clear it.
///
/// Source: issue 7 scope 6 ("a monitor marks values or forms verified; a later change clears the mark;
/// progress per participant and site; the study file names critical items for 100 % SDV");
/// ICH E6(R3) 3.11.4.1 (source data verification as part of monitoring).
public struct SourceVerification: Sendable, Equatable, Codable {
    public var participantID: ParticipantID
    public var address: ItemAddress
    /// The value's last-change time when it was verified.
    public var valueUpdatedAt: Date
    public var verifiedByName: String
    public var verifiedAt: Date

    public init(participantID: ParticipantID, address: ItemAddress, valueUpdatedAt: Date, verifiedByName: String, verifiedAt: Date) {
        self.participantID = participantID
        self.address = address
        self.valueUpdatedAt = valueUpdatedAt
        self.verifiedByName = verifiedByName
        self.verifiedAt = verifiedAt
    }

    /// Whether the mark still covers `value` (not changed since).
    public func covers(_ value: ItemValue) -> Bool {
        value.address == address && value.updatedAt == valueUpdatedAt
    }
}

/// Source verification progress of a set of values (one form, one participant or one site).
public struct SourceVerificationProgress: Sendable, Equatable, Codable {
    /// Values recorded (non-blank).
    public var recorded: Int
    /// Of those, verified and unchanged since.
    public var verified: Int
    /// Recorded values of items the study file marks critical.
    public var criticalRecorded: Int
    /// Of those, verified.
    public var criticalVerified: Int
    /// Values verified once but changed since (to verify again).
    public var changedSinceVerification: Int

    public init(recorded: Int = 0, verified: Int = 0, criticalRecorded: Int = 0, criticalVerified: Int = 0,
                changedSinceVerification: Int = 0) {
        self.recorded = recorded
        self.verified = verified
        self.criticalRecorded = criticalRecorded
        self.criticalVerified = criticalVerified
        self.changedSinceVerification = changedSinceVerification
    }

    /// Percentage verified (0 when nothing is recorded).
    public var percent: Int { recorded == 0 ? 0 : verified * 100 / recorded }
    /// Whether every critical value is verified (the 100 % SDV rule).
    public var criticalComplete: Bool { criticalVerified == criticalRecorded }

    public static func + (a: Self, b: Self) -> Self {
        Self(recorded: a.recorded + b.recorded, verified: a.verified + b.verified,
             criticalRecorded: a.criticalRecorded + b.criticalRecorded, criticalVerified: a.criticalVerified + b.criticalVerified,
             changedSinceVerification: a.changedSinceVerification + b.changedSinceVerification)
    }

    /// Progress of `values` under `marks`; `critical` tells which item OIDs are critical.
    public static func of(_ values: [ItemValue], marks: [SourceVerification], critical: (ItemOID) -> Bool) -> Self {
        let byAddress = Dictionary(marks.map { ($0.address, $0) }, uniquingKeysWith: { a, _ in a })
        var p = Self()
        for v in values where v.value.map({ !$0.text.isEmpty }) == true {
            let isCritical = critical(v.address.itemOID)
            p.recorded += 1
            if isCritical { p.criticalRecorded += 1 }
            guard let mark = byAddress[v.address] else { continue }
            if mark.covers(v) {
                p.verified += 1
                if isCritical { p.criticalVerified += 1 }
            } else {
                p.changedSinceVerification += 1
            }
        }
        return p
    }
}
