// Why this file exists: libjpeg reports errors through error_exit(), whose default calls exit().
// A corrupt JPEG must become an error message, so error_exit longjmps back to the decoder here.
#include "jpeg_shim.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <jpeglib.h>

typedef struct {
    struct jpeg_error_mgr base;
    jmp_buf escape;
} shim_error_mgr;

static void shim_error_exit(j_common_ptr cinfo) {
    shim_error_mgr *err = (shim_error_mgr *)cinfo->err;
    longjmp(err->escape, 1);
}

// Warnings (e.g. "premature end of data") are not fatal to libjpeg; stay silent instead of
// printing to stderr under the TUI. Corruption still surfaces through error_exit.
static void shim_output_message(j_common_ptr cinfo) { (void)cinfo; }

allspark_jpeg_result allspark_jpeg_decode(const unsigned char *bytes, size_t length, size_t max_pixels) {
    allspark_jpeg_result result;
    memset(&result, 0, sizeof(result));
    struct jpeg_decompress_struct cinfo;
    shim_error_mgr err;
    // volatile: read after longjmp.
    unsigned char *volatile pixels = NULL;

    cinfo.err = jpeg_std_error(&err.base);
    err.base.error_exit = shim_error_exit;
    err.base.output_message = shim_output_message;
    if (setjmp(err.escape)) {
        (*cinfo.err->format_message)((j_common_ptr)&cinfo, result.message);
        jpeg_destroy_decompress(&cinfo);
        free(pixels);
        result.pixels = NULL;
        return result;
    }
    jpeg_create_decompress(&cinfo);
    if (length == 0) {
        snprintf(result.message, sizeof(result.message), "empty input");
        jpeg_destroy_decompress(&cinfo);
        return result;
    }
    jpeg_mem_src(&cinfo, bytes, (unsigned long)length);
    jpeg_read_header(&cinfo, TRUE);
    if (cinfo.num_components == 1) {
        cinfo.out_color_space = JCS_GRAYSCALE;
    } else {
        cinfo.out_color_space = JCS_RGB;
    }
    jpeg_start_decompress(&cinfo);
    size_t width = cinfo.output_width, height = cinfo.output_height;
    int channels = cinfo.output_components;
    if (width == 0 || height == 0 || (max_pixels > 0 && width * height > max_pixels)) {
        snprintf(result.message, sizeof(result.message),
                 "image is %zu x %zu pixels, more than the allowed %zu", width, height, max_pixels);
        jpeg_destroy_decompress(&cinfo);
        return result;
    }
    size_t stride = width * (size_t)channels;
    pixels = malloc(stride * height);
    if (!pixels) {
        snprintf(result.message, sizeof(result.message), "out of memory for %zu x %zu pixels", width, height);
        jpeg_destroy_decompress(&cinfo);
        return result;
    }
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW row = pixels + (size_t)cinfo.output_scanline * stride;
        jpeg_read_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    result.pixels = pixels;
    result.width = (int)width;
    result.height = (int)height;
    result.channels = channels;
    return result;
}

void allspark_jpeg_free(unsigned char *pixels) { free(pixels); }
