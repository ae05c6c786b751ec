import Foundation

/// Why a file operation failed, as one readable phrase for a message that already names the file.
///
/// Foundation's own texts are poor on Linux: a file error's plain description is a dump of
/// domain, code and user info, and its localised text can be just "(NSCocoaErrorDomain error
/// 512.)" (swift-corelibs gives no reason when it cannot create a folder, or read a folder as a
/// file). So the system's reason (strerror) is used when the error carries one, the common codes
/// are named, and our own errors (format, data, interpreter) keep their description.
public func readableReason(_ error: Error) -> String {
    let bridged = error as NSError
    if bridged.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(bridged.code))) }
    guard bridged.domain == NSCocoaErrorDomain else { return String(describing: error) }
    if let underlying = bridged.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
        return String(cString: strerror(Int32(underlying.code)))
    }
    switch CocoaError.Code(rawValue: bridged.code) {
    case .fileNoSuchFile, .fileReadNoSuchFile: return "no such file or folder"
    case .fileWriteNoPermission, .fileReadNoPermission: return "permission denied"
    case .fileWriteOutOfSpace: return "no space left on the device"
    case .fileWriteFileExists: return "a file of that name is in the way"
    case .fileWriteUnknown: return "the system refused to write there (is a part of the path a file, or read-only?)"
    case .fileReadUnknown: return "the system refused to read it (is it a folder?)"
    case .fileReadCorruptFile: return "its contents are not in the expected form"
    case .fileReadInapplicableStringEncoding: return "it is not UTF-8 text"
    default: return bridged.localizedDescription
    }
}

/// An error as one line for a message that does not name the file itself: a Foundation file
/// error gets its path (when it carries one) and its readable reason; any other error its
/// description.
public func readableError(_ error: Error) -> String {
    let bridged = error as NSError
    guard bridged.domain == NSCocoaErrorDomain || bridged.domain == NSPOSIXErrorDomain else { return String(describing: error) }
    let path = bridged.userInfo[NSFilePathErrorKey] as? String ?? (bridged.userInfo[NSURLErrorKey] as? URL)?.path
    return path.map { "\($0): \(readableReason(error))" } ?? readableReason(error)
}
