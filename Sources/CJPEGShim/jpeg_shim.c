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
    // The first warning libjpeg emitted ("premature end of data segment", "corrupt JPEG data").
    char first_warning[JMSG_LENGTH_MAX];
} shim_error_mgr;

static void shim_error_exit(j_common_ptr cinfo) {
    shim_error_mgr *err = (shim_error_mgr *)cinfo->err;
    longjmp(err->escape, 1);
}

// libjpeg treats truncated or corrupt entropy data as a warning and fills the rest of the image
// with gray. A sample must not be silently half gray, so the first warning is kept and the
// decoder reports it as a failure; nothing is printed (stderr would garble the TUI).
static void shim_output_message(j_common_ptr cinfo) {
    shim_error_mgr *err = (shim_error_mgr *)cinfo->err;
    if (err->first_warning[0] == 0) {
        (*cinfo->err->format_message)(cinfo, err->first_warning);
    }
}

allspark_jpeg_result allspark_jpeg_decode(const unsigned char *bytes, size_t length, size_t max_pixels) {
    allspark_jpeg_result result;
    memset(&result, 0, sizeof(result));
    struct jpeg_decompress_struct cinfo;
    shim_error_mgr err;
    memset(&err, 0, sizeof(err));
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
    // Check the declared size before jpeg_start_decompress: for progressive files that call
    // allocates coefficient buffers for the whole image.
    size_t width = cinfo.image_width, height = cinfo.image_height;
    if (width == 0 || height == 0 || (max_pixels > 0 && width * height > max_pixels)) {
        snprintf(result.message, sizeof(result.message),
                 "image is %zu x %zu pixels; expected at most %zu pixels", width, height, max_pixels);
        jpeg_destroy_decompress(&cinfo);
        return result;
    }
    if (cinfo.num_components == 1) {
        cinfo.out_color_space = JCS_GRAYSCALE;
    } else if (cinfo.num_components == 3) {
        cinfo.out_color_space = JCS_RGB;
    } else {
        snprintf(result.message, sizeof(result.message),
                 "JPEG has %d colour components; expected 1 (gray) or 3 (YCbCr/RGB)", cinfo.num_components);
        jpeg_destroy_decompress(&cinfo);
        return result;
    }
    jpeg_start_decompress(&cinfo);
    width = cinfo.output_width;
    height = cinfo.output_height;
    int channels = cinfo.output_components;
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
    if (err.first_warning[0] != 0) {
        snprintf(result.message, sizeof(result.message), "%s", err.first_warning);
        free(pixels);
        return result;
    }
    result.pixels = pixels;
    result.width = (int)width;
    result.height = (int)height;
    result.channels = channels;
    return result;
}

void allspark_jpeg_free(unsigned char *pixels) { free(pixels); }
