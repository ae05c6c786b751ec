#pragma once
#include <stddef.h>

/// Result of decoding a JPEG held in memory.
/// On success `pixels` is malloc'd (width * height * channels bytes, row-major, interleaved)
/// and must be released with allspark_jpeg_free; on failure `pixels` is NULL and `message`
/// holds libjpeg's own description of what went wrong.
typedef struct {
    unsigned char *pixels;
    int width;
    int height;
    int channels;        // 1 (grayscale) or 3 (RGB)
    char message[200];
} allspark_jpeg_result;

/// Decodes a JPEG from memory. Never calls exit(): libjpeg errors longjmp back here.
/// `max_pixels` bounds width * height before any pixel memory is allocated.
allspark_jpeg_result allspark_jpeg_decode(const unsigned char *bytes, size_t length, size_t max_pixels);

void allspark_jpeg_free(unsigned char *pixels);
