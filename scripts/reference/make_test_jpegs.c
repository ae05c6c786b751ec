// Writes the small JPEG files whose bytes are pasted into Tests/AllSparkDataTests/ImagesJPEGTests.swift:
// a 16×8 grayscale JPEG (left half 50, right half 200) and a progressive 16×16 RGB JPEG
// (quadrants of flat colours). Quality 100 and 8×8-aligned flat blocks make the decoded values
// equal to the inputs (±2 for colour, from the YCbCr round trip).
// Build: cc make_test_jpegs.c -ljpeg -o /tmp/make_test_jpegs && /tmp/make_test_jpegs /tmp
#include <stdio.h>
#include <jpeglib.h>

static void write_jpeg(const char *path, int w, int h, int comps, J_COLOR_SPACE space, int progressive,
                       const unsigned char *pixels) {
    struct jpeg_compress_struct c; struct jpeg_error_mgr e;
    FILE *f = fopen(path, "wb");
    c.err = jpeg_std_error(&e);
    jpeg_create_compress(&c);
    jpeg_stdio_dest(&c, f);
    c.image_width = w; c.image_height = h; c.input_components = comps; c.in_color_space = space;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, 100, TRUE);
    if (comps == 3) { for (int i = 0; i < 3; i++) { c.comp_info[i].h_samp_factor = 1; c.comp_info[i].v_samp_factor = 1; } }
    if (progressive) jpeg_simple_progression(&c);
    jpeg_start_compress(&c, TRUE);
    while (c.next_scanline < c.image_height) {
        JSAMPROW row = (JSAMPROW)(pixels + c.next_scanline * w * comps);
        jpeg_write_scanlines(&c, &row, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    fclose(f);
}

int main(int argc, char **argv) {
    char path[512];
    unsigned char gray[16 * 8];
    for (int y = 0; y < 8; y++) for (int x = 0; x < 16; x++) gray[y * 16 + x] = x < 8 ? 50 : 200;
    snprintf(path, sizeof path, "%s/gray.jpg", argc > 1 ? argv[1] : ".");
    write_jpeg(path, 16, 8, 1, JCS_GRAYSCALE, 0, gray);

    static const unsigned char colours[4][3] = {{200, 30, 40}, {20, 180, 60}, {30, 60, 220}, {240, 240, 240}};
    unsigned char rgb[16 * 16 * 3];
    for (int y = 0; y < 16; y++) for (int x = 0; x < 16; x++)
        for (int k = 0; k < 3; k++) rgb[(y * 16 + x) * 3 + k] = colours[(y >= 8) * 2 + (x >= 8)][k];
    snprintf(path, sizeof path, "%s/quadrants_progressive.jpg", argc > 1 ? argv[1] : ".");
    write_jpeg(path, 16, 16, 3, JCS_RGB, 1, rgb);
    return 0;
}
