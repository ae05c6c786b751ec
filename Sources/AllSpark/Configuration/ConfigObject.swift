import Foundation
import SparkFormats

/// A JSON object from a configuration file, with the key path it sits at, decoded on demand into a
/// `ConfigSection`. Unknown keys are errors that list the allowed ones, so a typo (`dpeth`) never
/// silently falls back to a default; type errors name the key and the expected type.
public struct ConfigObject: @unchecked Sendable, Equatable {
    public let file: String
    public let keyPath: String
    /// The object as parsed by JSONSerialization.
    let dictionary: [String: Any]

    init(file: String, keyPath: String, dictionary: [String: Any]) {
        self.file = file; self.keyPath = keyPath; self.dictionary = dictionary
    }

    /// Configurations are a few kilobytes; a file far larger is not one, and is refused before it is read.
    /// (Nesting is bounded by Foundation's JSON parser, which refuses more than 512 levels.)
    public static let maxFileBytes = 1 << 20

    public static func == (a: ConfigObject, b: ConfigObject) -> Bool {
        a.file == b.file && a.keyPath == b.keyPath && NSDictionary(dictionary: a.dictionary).isEqual(to: b.dictionary)
    }

    /// Parses a whole file. A top-level `"extends": "other.json"` (relative to this file) reads that
    /// configuration first and lays this file's keys over it: objects are merged key by key (so a
    /// trained variant can change one modality's bridge without restating the modality), any other
    /// value replaces the base's. A trained variant names its base, its checkpoints and what its
    /// checkpoints changed, nothing else.
    public static func read(path: String, extendedBy: [String] = []) throws -> ConfigObject {
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber, size.intValue > maxFileBytes {
            throw ConfigurationError(file: path, keyPath: "", problem: "the file has \(size) bytes; expected a configuration of at most \(maxFileBytes) bytes")
        }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ConfigurationError(file: path, keyPath: "", problem: "cannot read the configuration: \(readableReason(error))")
        }
        let object = try parse(data, file: path)
        guard let base = object.dictionary["extends"] else { return object }
        guard let name = base as? String, !name.isEmpty else { throw object.error("extends", "expected the path of a configuration file") }
        let basePath = name.hasPrefix("/") ? name : ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent(name)
        guard !extendedBy.contains(basePath), extendedBy.count < 8 else {
            throw object.error("extends", "\(basePath) extends itself (through \(extendedBy.joined(separator: " → ")))")
        }
        var overlay = object.dictionary
        overlay["extends"] = nil
        let merged = Self.merge(try read(path: basePath, extendedBy: extendedBy + [path]).dictionary, overlay)
        return ConfigObject(file: path, keyPath: "", dictionary: merged)
    }

    /// `overlay` laid over `base` as a JSON Merge Patch (RFC 7386): nested objects merge
    /// recursively, `null` removes the key (so a configuration can drop a base setting, e.g. the
    /// real FTIR spectra's configuration drops the remote-sensing `wavelengthRange`), other values
    /// replace.
    static func merge(_ base: [String: Any], _ overlay: [String: Any]) -> [String: Any] {
        var merged = base
        for (key, value) in overlay {
            if value is NSNull {
                merged[key] = nil
            } else if let inner = value as? [String: Any], let under = merged[key] as? [String: Any] {
                merged[key] = merge(under, inner)
            } else {
                merged[key] = value
            }
        }
        return merged
    }

    public static func parse(_ data: Data, file: String) throws -> ConfigObject {
        let value: Any
        do { value = try JSONSerialization.jsonObject(with: data) } catch {
            // Foundation keeps the useful part ("Too many nested arrays or dictionaries around
            // character 518") in the debug description; localizedDescription only says "not in the correct format".
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? error.localizedDescription
            throw ConfigurationError(file: file, keyPath: "", problem: "not valid JSON: \(detail)")
        }
        guard let dictionary = value as? [String: Any] else {
            throw ConfigurationError(file: file, keyPath: "", problem: "expected a JSON object at the top level")
        }
        return ConfigObject(file: file, keyPath: "", dictionary: dictionary)
    }

    public var keys: [String] { dictionary.keys.sorted() }

    public func path(_ key: String) -> String { keyPath.isEmpty ? key : "\(keyPath).\(key)" }

    public func error(_ key: String?, _ problem: String) -> ConfigurationError {
        ConfigurationError(file: file, keyPath: key.map(path) ?? keyPath, problem: problem)
    }

    /// The nested object at `key` (an error if missing and not optional, or not an object).
    public func object(_ key: String) throws -> ConfigObject {
        guard let value = dictionary[key] else { throw error(key, "missing; expected an object") }
        guard let nested = value as? [String: Any] else { throw error(key, "expected an object") }
        return ConfigObject(file: file, keyPath: path(key), dictionary: nested)
    }

    public func optionalObject(_ key: String) throws -> ConfigObject? {
        dictionary[key] == nil ? nil : try object(key)
    }

    /// Checks that every key is one of `allowed`.
    public func checkKeys(_ allowed: [String]) throws {
        for key in keys where !allowed.contains(key) {
            throw error(key, "unknown key; allowed here: \(allowed.sorted().joined(separator: ", "))")
        }
    }

    /// Decodes the whole object as `T`, after checking its keys against `T.allowedKeys`.
    public func decode<T: ConfigSection>(_ type: T.Type) throws -> T {
        try checkKeys(T.allowedKeys)
        let data = try JSONSerialization.data(withJSONObject: dictionary)
        do {
            var section = try JSONDecoder().decode(T.self, from: data)
            try section.validate(in: self)
            return section
        } catch let error as DecodingError {
            throw describe(error, culprit: { culpritKey(for: T.self) })
        }
    }

    /// Foundation on Linux reports some value errors (a fractional number for an integer) with an
    /// empty coding path. The key at fault is the one whose value, replaced by a plain value of
    /// some type (1, "x", true, [], {}), lets the section decode. (Removing a key is no test: every
    /// required key's removal changes the error too.)
    private func culpritKey<T: ConfigSection>(for type: T.Type) -> String? {
        let substitutes: [Any] = [1, "x", true, [Any](), [String: Any]()]
        for key in keys.sorted() {
            for substitute in substitutes {
                var changed = dictionary
                changed[key] = substitute
                guard let data = try? JSONSerialization.data(withJSONObject: changed) else { continue }
                if (try? JSONDecoder().decode(T.self, from: data)) != nil { return key }
            }
        }
        return nil
    }

    private func describe(_ error: DecodingError, culprit: () -> String?) -> ConfigurationError {
        func key(_ path: [CodingKey]) -> String {
            path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .keyNotFound(let missing, let context):
            return self.error(key(context.codingPath + [missing]), "missing")
        case .typeMismatch(let type, let context):
            return self.error(key(context.codingPath), "expected \(Self.typeName(type))")
        case .valueNotFound(let type, let context):
            return self.error(key(context.codingPath), "null; expected \(Self.typeName(type))")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty, let culprit = culprit() {
                return self.error(culprit, "has a value of the wrong type or range (\(Self.jsonText(dictionary[culprit])))")
            }
            return self.error(key(context.codingPath), context.debugDescription)
        @unknown default:
            return self.error(nil, "\(error)")
        }
    }

    static func jsonText(_ value: Any?) -> String {
        guard let value, let data = try? JSONSerialization.data(withJSONObject: [value], options: [.fragmentsAllowed]) else { return "?" }
        return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
    }

    static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type, is UInt64.Type: return "an integer"
        case is Float.Type, is Double.Type: return "a number"
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        default: return "\(type)"
        }
    }
}

/// A part of the configuration decoded from one JSON object.
public protocol ConfigSection: Codable, Sendable {
    /// The keys the object may have (typically the CodingKeys).
    static var allowedKeys: [String] { get }
    /// Checks values (ranges, enumerations); errors name the key via `object.error(key, …)`.
    mutating func validate(in object: ConfigObject) throws
}

extension ConfigSection {
    public mutating func validate(in object: ConfigObject) throws {}
}

extension ConfigSection where Self: Decodable {
    /// Requires `value` to be positive.
    public func requirePositive(_ value: Int, _ key: String, in object: ConfigObject) throws {
        if value <= 0 { throw object.error(key, "is \(value); expected a positive integer") }
    }
}
