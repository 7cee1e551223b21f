// What `GET {base_url}/models` lists per base URL and key: asked once, kept in memory and on disk for a day.
import Foundation
import K2Models
import K2Provider
import K2Workspace

/// Listings are asked at most once at a time per endpoint; a listing is kept in memory for the process and, for
/// endpoints with a key, under `$XDG_CACHE_HOME/k2lsp/` for a day (a new process, such as each CLI command, then
/// needs no extra request). Keyless servers are local ones: restarted with another model at any time and cheap to
/// ask, so they are not cached on disk. A failed listing is remembered for half a minute.
actor ModelDirectory {
    typealias Listing = Result<[String], ListingUnavailable>

    private struct Key: Hashable {
        var baseURL: String
        var apiKey: String?
    }

    private struct Entry {
        var listing: Listing
        var fetchedAt: ContinuousClock.Instant
    }

    static let diskMaxAge: TimeInterval = 86_400
    static let failureMaxAge: Duration = .seconds(30)

    private let cacheDirectory: String?
    private var entries: [Key: Entry] = [:]
    private var inFlight: [Key: Task<Listing, Never>] = [:]

    /// - Parameter environment: `XDG_CACHE_HOME`, else `HOME`/.cache, names the cache folder; neither means no disk.
    init(environment: [String: String]) {
        if let cache = environment["XDG_CACHE_HOME"], cache.hasPrefix("/") {
            cacheDirectory = cache + "/k2lsp"
        } else if let home = environment["HOME"], home.hasPrefix("/") {
            cacheDirectory = home + "/.cache/k2lsp"
        } else {
            cacheDirectory = nil
        }
    }

    /// The listing for `endpoint`, fetched with `fetch` when neither memory nor disk has a fresh one.
    func listing(for endpoint: ProviderEndpoint, fetch: @escaping @Sendable () async -> Listing) async -> Listing {
        let key = Key(baseURL: endpoint.normalizedBaseURL, apiKey: endpoint.apiKey)
        if let entry = entries[key] {
            switch entry.listing {
            case .success: return entry.listing
            case .failure where ContinuousClock.now - entry.fetchedAt < Self.failureMaxAge: return entry.listing
            case .failure: break
            }
        }
        if let ids = readDisk(key) {
            entries[key] = Entry(listing: .success(ids), fetchedAt: .now)
            return .success(ids)
        }
        if let running = inFlight[key] { return await running.value }
        let task = Task { await fetch() }
        inFlight[key] = task
        let listing = await task.value
        inFlight[key] = nil
        entries[key] = Entry(listing: listing, fetchedAt: .now)
        if case .success(let ids) = listing { writeDisk(key, ids: ids) }
        return listing
    }

    /// Forgets the listing (a model it offered answered 404: the account changed).
    func invalidate(_ endpoint: ProviderEndpoint) {
        let key = Key(baseURL: endpoint.normalizedBaseURL, apiKey: endpoint.apiKey)
        entries[key] = nil
        if let path = diskPath(key) { try? FileManager.default.removeItem(atPath: path) }
    }

    // MARK: Disk

    private struct DiskEntry: Codable {
        var baseURL: String
        var fetchedAt: TimeInterval
        var ids: [String]

        enum CodingKeys: String, CodingKey {
            case baseURL = "base_url"
            case fetchedAt = "fetched_at"
            case ids
        }
    }

    /// The file name is a digest of base URL and key: the key never appears on disk, and each key has its own.
    private func diskPath(_ key: Key) -> String? {
        guard let cacheDirectory, let apiKey = key.apiKey else { return nil }
        let digest = SHA256.hexDigest(Array((key.baseURL + "\n" + apiKey).utf8))
        return cacheDirectory + "/models-" + digest.prefix(32) + ".json"
    }

    private func readDisk(_ key: Key) -> [String]? {
        guard let path = diskPath(key), let data = FileManager.default.contents(atPath: path),
            let entry = try? JSONDecoder().decode(DiskEntry.self, from: data), entry.baseURL == key.baseURL
        else { return nil }
        let age = Date().timeIntervalSince1970 - entry.fetchedAt
        guard age >= 0, age < Self.diskMaxAge, !entry.ids.isEmpty else { return nil }
        return entry.ids
    }

    private func writeDisk(_ key: Key, ids: [String]) {
        guard let path = diskPath(key), let cacheDirectory, !ids.isEmpty else { return }
        let entry = DiskEntry(baseURL: key.baseURL, fetchedAt: Date().timeIntervalSince1970, ids: ids)
        guard let data = try? JSONEncoder().encode(entry) else { return }
        try? FileManager.default.createDirectory(
            atPath: cacheDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        // A cache: a failed write only costs a request next time.
        try? data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
