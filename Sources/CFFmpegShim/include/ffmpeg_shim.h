#pragma once
#include <libavutil/error.h>

/// Replaces FFmpeg's log callback (once per process): nothing is printed any more (stderr would
/// garble the TUI), and each thread keeps the last message at AV_LOG_ERROR or worse, so an error
/// can quote FFmpeg's own words ("moov atom not found").
void allspark_ffmpeg_capture_log(void);

/// The calling thread's last captured FFmpeg error message, "" when none since the last clear.
/// Valid until the thread's next FFmpeg call.
const char *allspark_ffmpeg_last_message(void);

/// Forgets the calling thread's last message (before a new file is opened).
void allspark_ffmpeg_clear_message(void);

// AVERROR_EOF, AVERROR(EAGAIN) and AVERROR_DECODER_NOT_FOUND are macros Swift cannot import
// (FFERRTAG, a negated errno).
static inline int allspark_averror_eof(void) { return AVERROR_EOF; }
static inline int allspark_averror_again(void) { return AVERROR(EAGAIN); }
static inline int allspark_averror_decoder_not_found(void) { return AVERROR_DECODER_NOT_FOUND; }
