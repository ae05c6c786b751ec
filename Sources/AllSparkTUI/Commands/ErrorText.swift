import Foundation

/// An error as one readable line. A Foundation file error's plain description is a dump of
/// domain, code and user info, and its localised text can be just "(NSCocoaErrorDomain error
/// 512.)" (swift-corelibs gives no reason when it cannot create a folder), so the system's own
/// reason is used when the error carries one, and the common codes are named; our own errors
/// (format, data, interpreter) carry their message in their description.
func errorText(_ error: Error) -> String {
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
    default: return bridged.localizedDescription
    }
}
