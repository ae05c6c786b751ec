// Why this file exists: FFmpeg logs through a callback that receives a C va_list, which Swift
// cannot format. This callback formats each message into a per-thread buffer instead of printing
// it, so the video reader can put FFmpeg's explanation into its DataError.
#include "ffmpeg_shim.h"
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <libavutil/log.h>

enum { MESSAGE_CAPACITY = 512 };

// Per thread, because several samples may load at once (tests run in parallel) and each error
// must quote its own file's message. Decoders run single-threaded for the same reason.
static _Thread_local char last_message[MESSAGE_CAPACITY];
// FFmpeg sometimes logs one line in pieces; a piece that does not end the line is continued.
static _Thread_local int line_is_open;

static void capture(void *context, int level, const char *format, va_list arguments) {
    if (level > AV_LOG_ERROR) return;
    size_t used = 0;
    if (line_is_open) {
        used = strlen(last_message);
    } else if (context) {
        // "mov,mp4,m4a,3gp,3g2,mj2: " — the component's name, without av_log's pointer address.
        const AVClass *class = *(const AVClass **)context;
        const char *name = class && class->item_name ? class->item_name(context) : NULL;
        snprintf(last_message, MESSAGE_CAPACITY, "%s: ", name ? name : "ffmpeg");
        used = strlen(last_message);
    } else {
        last_message[0] = 0;
    }
    if (used < MESSAGE_CAPACITY - 1) {
        vsnprintf(last_message + used, MESSAGE_CAPACITY - used, format, arguments);
    }
    size_t length = strlen(last_message);
    line_is_open = length == 0 || last_message[length - 1] != '\n';
    while (length > 0 && (last_message[length - 1] == '\n' || last_message[length - 1] == ' ')) {
        last_message[--length] = 0;
    }
}

static pthread_once_t installed = PTHREAD_ONCE_INIT;

static void install(void) {
    av_log_set_level(AV_LOG_ERROR);
    av_log_set_callback(capture);
}

void allspark_ffmpeg_capture_log(void) { pthread_once(&installed, install); }

const char *allspark_ffmpeg_last_message(void) { return last_message; }

void allspark_ffmpeg_clear_message(void) {
    last_message[0] = 0;
    line_is_open = 0;
}
