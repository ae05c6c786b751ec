import CFFmpeg
import CFFmpegShim

/// FFmpeg's own words for a failure: `av_strerror`'s text for a return code, and the last message
/// its log reported on this thread (captured by CFFmpegShim instead of printed).
enum FFmpegMessages {
    /// Installs the log capture (once) and forgets this thread's previous message, so an error
    /// quotes only what happened while reading the current file.
    static func beginFile() {
        allspark_ffmpeg_capture_log()
        allspark_ffmpeg_clear_message()
    }

    /// `av_strerror` for a negative return code ("Invalid data found when processing input").
    static func text(of code: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        if av_strerror(code, &buffer, buffer.count) < 0 { return "FFmpeg error \(code)" }
        return String(cString: buffer)
    }

    /// The last error FFmpeg logged on this thread, or nil.
    static var lastLogged: String? {
        let message = String(cString: allspark_ffmpeg_last_message())
        return message.isEmpty ? nil : message
    }

    /// "Invalid data found when processing input (mov,mp4,m4a,3gp,3g2,mj2: moov atom not found)".
    static func explain(_ code: Int32) -> String {
        let text = text(of: code)
        guard let logged = lastLogged, logged != text else { return text }
        return "\(text) (\(logged))"
    }

    /// A malformed-file error that says which step failed and passes on FFmpeg's explanation.
    static func failure(_ path: String, while step: String, code: Int32, expected: String) -> DataError {
        .malformed(file: path, problem: "FFmpeg failed \(step): \(explain(code)); expected \(expected)")
    }
}
