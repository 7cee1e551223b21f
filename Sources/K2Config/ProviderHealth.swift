// Which model roles are known not to work right now (e.g. the Thinking model answered 404), and why.
public struct ProviderHealth: Sendable, Hashable {
    public var unavailable: Set<ModelRole>
    /// One line per unavailable role, e.g. `404: model kimi-k2.7-code not found`; shown in the fallback notice.
    public var reasons: [ModelRole: String]

    public init(unavailable: Set<ModelRole> = [], reasons: [ModelRole: String] = [:]) {
        self.unavailable = unavailable
        self.reasons = reasons
    }

    public static let healthy = ProviderHealth()

    public func isAvailable(_ role: ModelRole) -> Bool {
        !unavailable.contains(role)
    }

    public mutating func markUnavailable(_ role: ModelRole, reason: String) {
        unavailable.insert(role)
        reasons[role] = reason
    }

    public mutating func markAvailable(_ role: ModelRole) {
        unavailable.remove(role)
        reasons[role] = nil
    }
}
