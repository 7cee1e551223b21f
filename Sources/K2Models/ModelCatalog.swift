// The catalog's types and lookups: families matched by id, retired ids, per-role preferences, user overrides.

/// Which API a model id belongs to; presets take their default ids from the preference lists by surface.
public enum ModelSurface: String, Sendable, Hashable, CaseIterable {
    case moonshot
    case openRouter = "openrouter"
    case selfHosted = "self-hosted"
}

/// K2 or K3: an account whose listing has no K2 model falls back to K3.
public enum ModelSeries: String, Sendable, Hashable, CaseIterable {
    case k2
    case k3
    case other
}

/// One family of model ids that are asked the same way.
public struct ModelFamily: Sendable, Hashable {
    /// Shown by `k2lsp models`; a `models:` entry with this name overrides the family.
    public var name: String
    public var series: ModelSeries
    public var surface: ModelSurface
    /// Exact ids, or patterns with `*` (see `ModelIDPattern`).
    public var matches: [String]
    public var profile: ModelProfile

    public init(name: String, series: ModelSeries, surface: ModelSurface, matches: [String], profile: ModelProfile) {
        self.name = name
        self.series = series
        self.surface = surface
        self.matches = matches
        self.profile = profile
    }

    public func matches(_ id: String) -> Bool {
        matches.contains { ModelIDPattern.matches($0, id) }
    }
}

/// An id a provider no longer serves, and the role it used to fill (its replacement is that role's live model).
public struct RetiredModel: Sendable, Hashable {
    /// An exact id or a pattern with `*`.
    public var id: String
    public var role: ModelRole
    /// Who retired it, for the notice: "Moonshot".
    public var retiredBy: String
    public var date: String

    public init(id: String, role: ModelRole, retiredBy: String, date: String) {
        self.id = id
        self.role = role
        self.retiredBy = retiredBy
        self.date = date
    }
}

/// Which listed id each role takes, first match wins.
public struct RolePreferences: Sendable, Hashable {
    public var instruct: [String]
    public var thinking: [String]
    /// For an account that lists no K2 model at all: both roles take the first of these that is listed.
    public var withoutK2: [String]

    public init(instruct: [String], thinking: [String], withoutK2: [String]) {
        self.instruct = instruct
        self.thinking = thinking
        self.withoutK2 = withoutK2
    }

    public subscript(role: ModelRole) -> [String] {
        switch role {
        case .instruct: instruct
        case .thinking: thinking
        }
    }
}

/// Facts about an API host that messages need: its name, where to top up, what its rate limits mean.
public struct HostFacts: Sendable, Hashable {
    /// Host names this applies to, matched as suffixes (`moonshot.ai` matches `api.moonshot.ai`).
    public var hostSuffixes: [String]
    public var name: String
    public var billingPage: String?
    /// Shown once per session after the first rate limit, with what to do about it.
    public var rateLimitAdvice: String?
    /// The `error.type` of this API's 429s: a gateway in front of it (another host) is recognised by it.
    public var rateLimitErrorType: String?

    public init(
        hostSuffixes: [String], name: String, billingPage: String? = nil, rateLimitAdvice: String? = nil,
        rateLimitErrorType: String? = nil
    ) {
        self.hostSuffixes = hostSuffixes
        self.name = name
        self.billingPage = billingPage
        self.rateLimitAdvice = rateLimitAdvice
        self.rateLimitErrorType = rateLimitErrorType
    }

    public func applies(toHost host: String) -> Bool {
        let host = host.lowercased()
        return hostSuffixes.contains { host == $0 || host.hasSuffix("." + $0) }
    }
}

/// The model catalog: built in (`ModelCatalog.builtIn`), extended or overridden by the configuration's `models:`.
public struct ModelCatalog: Sendable, Hashable {
    /// Checked in order; the first family that matches an id gives its profile.
    public var families: [ModelFamily]
    public var retired: [RetiredModel]
    public var preferences: RolePreferences
    public var hosts: [HostFacts]

    public init(families: [ModelFamily], retired: [RetiredModel], preferences: RolePreferences, hosts: [HostFacts]) {
        self.families = families
        self.retired = retired
        self.preferences = preferences
        self.hosts = hosts
    }

    public func family(for id: String) -> ModelFamily? {
        families.first { $0.matches(id) }
    }

    /// The family's profile, or the conservative one for an id nobody knows.
    public func profile(for id: String) -> ModelProfile {
        family(for: id)?.profile ?? .conservative
    }

    public func retirement(of id: String) -> RetiredModel? {
        retired.first { ModelIDPattern.matches($0.id, id) }
    }

    public func host(_ host: String) -> HostFacts? {
        hosts.first { $0.applies(toHost: host) }
    }

    /// The first id of `role`'s preferences that belongs to `surface`: a preset's default when the listing
    /// cannot be read.
    public func defaultID(for role: ModelRole, on surface: ModelSurface) -> String? {
        preferences[role].first { family(for: $0)?.surface == surface }
    }

    /// Whether `id` is a K2 model (for the K3 fallback: "this account lists no K2 model").
    public func isK2(_ id: String) -> Bool {
        family(for: id)?.series == .k2
    }

    /// The catalog with the configuration's `models:` entries applied: an entry named like a family changes that
    /// family's fields; any other entry adds a family for that id (or pattern), checked before the built-in ones.
    public func applying(_ overrides: [ModelOverride]) -> ModelCatalog {
        var catalog = self
        var added: [ModelFamily] = []
        for override in overrides {
            if let index = catalog.families.firstIndex(where: { $0.name.lowercased() == override.key.lowercased() }) {
                catalog.families[index] = override.applied(to: catalog.families[index])
                continue
            }
            // Without `like`, an id starts from what it gets today (its family), so an entry changes only its fields.
            let base =
                override.like.flatMap { like in catalog.families.first { $0.name.lowercased() == like.lowercased() } }
                ?? catalog.family(for: override.key)
            let start =
                base.map { ModelFamily(name: override.key, series: $0.series, surface: $0.surface, matches: [override.key], profile: $0.profile) }
                ?? ModelFamily(name: override.key, series: .other, surface: .selfHosted, matches: [override.key], profile: .conservative)
            added.append(override.applied(to: start))
        }
        catalog.families = added + catalog.families
        return catalog
    }
}

/// One entry of the configuration's `models:` section; every field is optional and replaces the family's.
public struct ModelOverride: Sendable, Hashable {
    /// A family name (to change that family) or a model id / pattern (to add one).
    public var key: String
    /// For a new entry: the family whose profile it starts from (default: the family the id falls in, if any).
    public var like: String?
    public var series: ModelSeries?
    public var contextWindow: Int?
    public var sampling: Sampling?
    public var outputLimitField: String?
    public var thinking: ThinkingControl?
    public var reasoningReplay: ReasoningReplay?
    public var reasoningAllowance: Int?
    public var allowsRequiredToolChoice: Bool?
    public var partialMode: Bool?

    public init(key: String) {
        self.key = key
    }

    /// Later layers' fields win over earlier ones; fields a later layer leaves out are kept.
    public func merged(over earlier: ModelOverride) -> ModelOverride {
        var merged = earlier
        if let like { merged.like = like }
        if let series { merged.series = series }
        if let contextWindow { merged.contextWindow = contextWindow }
        if let sampling { merged.sampling = sampling }
        if let outputLimitField { merged.outputLimitField = outputLimitField }
        if let thinking { merged.thinking = thinking }
        if let reasoningReplay { merged.reasoningReplay = reasoningReplay }
        if let reasoningAllowance { merged.reasoningAllowance = reasoningAllowance }
        if let allowsRequiredToolChoice { merged.allowsRequiredToolChoice = allowsRequiredToolChoice }
        if let partialMode { merged.partialMode = partialMode }
        return merged
    }

    func applied(to family: ModelFamily) -> ModelFamily {
        var family = family
        if let series { family.series = series }
        if let contextWindow { family.profile.contextWindow = contextWindow }
        if let sampling { family.profile.sampling = sampling }
        if let outputLimitField { family.profile.outputLimitField = outputLimitField }
        if let thinking { family.profile.thinking = thinking }
        if let reasoningReplay { family.profile.reasoningReplay = reasoningReplay }
        if let reasoningAllowance { family.profile.reasoningAllowance = reasoningAllowance }
        if let allowsRequiredToolChoice { family.profile.allowsRequiredToolChoice = allowsRequiredToolChoice }
        if let partialMode { family.profile.partialMode = partialMode }
        return family
    }
}

/// Model ids compared as written in the catalog: an exact id matches only itself (OpenRouter's
/// `moonshotai/kimi-k2.7-code` is not the self-hosted `moonshotai/Kimi-K2.7-Code`); a pattern with `*`, standing for
/// any run of characters, ignores case (self-hosted servers name models as they please).
public enum ModelIDPattern {
    public static func matches(_ pattern: String, _ id: String) -> Bool {
        guard pattern.contains("*") else { return pattern == id }
        let pattern = Array(pattern.lowercased().utf8)
        let id = Array(id.lowercased().utf8)
        // Iterative wildcard match with one backtrack point: linear enough for ids.
        var p = 0
        var i = 0
        var star: Int?
        var resume = 0
        while i < id.count {
            if p < pattern.count, pattern[p] == UInt8(ascii: "*") {
                star = p
                resume = i
                p += 1
            } else if p < pattern.count, pattern[p] == id[i] {
                p += 1
                i += 1
            } else if let star {
                p = star + 1
                resume += 1
                i = resume
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == UInt8(ascii: "*") { p += 1 }
        return p == pattern.count
    }
}
