// Which model id each role uses: the configured one, else the first preferred id the key's listing offers.

/// The id a role resolved to and why.
public struct RoleResolution: Sendable, Hashable {
    public enum Reason: Sendable, Hashable {
        /// Someone set the id (the text names where: "K2_INSTRUCT_MODEL_ID", "user file …").
        case configured(String)
        /// The first of the role's preferences that the listing offers.
        case preferred
        /// The listing has no K2 model; the first K3 model it offers.
        case withoutK2
        /// The listing offers exactly one model (a local server).
        case onlyListed
        /// The listing offers no model the catalog knows; its first id.
        case firstListed
        /// The listing could not be read; the preset's default id.
        case unlisted(String)
    }

    public var role: ModelRole
    public var modelID: String
    public var reason: Reason

    public init(role: ModelRole, modelID: String, reason: Reason) {
        self.role = role
        self.modelID = modelID
        self.reason = reason
    }

    /// Whether the listing chose this id (so a 404 for it means the listing is stale).
    public var cameFromListing: Bool {
        switch reason {
        case .preferred, .withoutK2, .onlyListed, .firstListed: true
        case .configured, .unlisted: false
        }
    }

    public var explanation: String {
        switch reason {
        case .configured(let source): "set by \(source)"
        case .preferred: "the first \(role.displayName) preference that GET /models lists"
        case .withoutK2: "GET /models lists no K2 model, so the K3 fallback"
        case .onlyListed: "the only model GET /models lists"
        case .firstListed: "GET /models lists no model k2lsp knows; the first one listed"
        case .unlisted(let why): "GET /models could not be read (\(why)); the preset's default"
        }
    }
}

public enum RoleResolver {
    /// - Parameters:
    ///   - configured: an id someone set for this role, with where it was set; it always wins.
    ///   - fallbackID: the preset's id, for when there is no listing.
    ///   - listing: the ids `GET /models` returned, or nil with why it could not be read.
    public static func resolve(
        role: ModelRole, configured: (id: String, source: String)?, fallbackID: String,
        listing: Result<[String], ListingUnavailable>, catalog: ModelCatalog
    ) -> RoleResolution {
        if let configured {
            return RoleResolution(role: role, modelID: configured.id, reason: .configured(configured.source))
        }
        let ids: [String]
        switch listing {
        case .failure(let unavailable):
            return RoleResolution(role: role, modelID: fallbackID, reason: .unlisted(unavailable.reason))
        case .success(let listed):
            ids = listed
        }
        guard !ids.isEmpty else {
            return RoleResolution(role: role, modelID: fallbackID, reason: .unlisted("it lists no models"))
        }
        if let preferred = firstListed(of: catalog.preferences[role], in: ids) {
            return RoleResolution(role: role, modelID: preferred, reason: .preferred)
        }
        if !ids.contains(where: catalog.isK2), let k3 = firstListed(of: catalog.preferences.withoutK2, in: ids) {
            return RoleResolution(role: role, modelID: k3, reason: .withoutK2)
        }
        if ids.count == 1 {
            return RoleResolution(role: role, modelID: ids[0], reason: .onlyListed)
        }
        // Some K2 model the preferences do not name (a new id, a local server's own name): better than a stranger.
        if let k2 = ids.first(where: catalog.isK2) {
            return RoleResolution(role: role, modelID: k2, reason: .preferred)
        }
        return RoleResolution(role: role, modelID: ids[0], reason: .firstListed)
    }

    /// The first of `preferences` that `ids` contains, spelled as the listing spells it.
    static func firstListed(of preferences: [String], in ids: [String]) -> String? {
        for preference in preferences {
            if let listed = ids.first(where: { $0.lowercased() == preference.lowercased() }) { return listed }
        }
        return nil
    }
}

/// Why a listing could not be used ("HTTP 404", "connection refused").
public struct ListingUnavailable: Error, Sendable, Hashable {
    public var reason: String

    public init(_ reason: String) {
        self.reason = reason
    }
}
