/// One item's entry exactly as a person typed it or a client sent it, before any check: the value,
/// the unit and the lab's reference limits as text. Checking it against the study file turns it into
/// a `MeasuredValue` or into field problems; a form that fails keeps showing these texts.
///
/// Source: issue 2 scope 6 (server-side checks with messages naming the field); issue 6 scope 2
/// (one shape per stage: raw entry → measured value).
public struct RawEntry: Sendable, Equatable, Decodable {
    /// The value as typed.
    public var value: String
    /// The unit as chosen, if any.
    public var unit: String?
    /// The lab's lower limit of normal as typed.
    public var lowerLimitNormal: String?
    /// The lab's upper limit of normal as typed.
    public var upperLimitNormal: String?
    /// Why a saved value is changed (issue 7 scope 3); needed only when it differs from the saved one.
    public var reason: ChangeReason?
    /// The person confirms a value Carta held as a likely unit slip is right as typed (issue 8 "Bad input").
    public var confirmed: Bool?
    /// The site laboratory that measured the value (its id in the study file), whose range fills blank limits;
    /// nil means the site's first laboratory (issue 8 scope 11: ranges held per site and laboratory).
    public var laboratory: String?

    /// Creates an entry.
    public init(value: String, unit: String? = nil, lowerLimitNormal: String? = nil, upperLimitNormal: String? = nil,
                reason: ChangeReason? = nil, confirmed: Bool? = nil, laboratory: String? = nil) {
        self.confirmed = confirmed
        self.laboratory = laboratory
        self.value = value
        self.unit = unit
        self.lowerLimitNormal = lowerLimitNormal
        self.upperLimitNormal = upperLimitNormal
        self.reason = reason
    }
}
