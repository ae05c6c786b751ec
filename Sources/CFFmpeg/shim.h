// FFmpeg's libraries (Debian libavformat-dev, libavcodec-dev, libswscale-dev): MP4, AVI, MKV and
// WebM video.
#include <libavformat/avformat.h>
#include <libavcodec/avcodec.h>
#include <libswscale/swscale.h>
#include <libavutil/imgutils.h>
#include <libavutil/error.h>
#include <libavutil/log.h>
