#!/usr/bin/env bash
# Writes the video fixtures of Tests/Fixtures/video/ with the ffmpeg command line, and beside each
# the command line's own decode of it as raw RGB24 (<file>.rgb: 10 frames × 24 rows × 32 × 3
# bytes). VideoFFmpegTests compares what FFmpegVideoReader decodes with these: lossy codecs decode
# deterministically, so the command line's decode of the same file is an independent reference
# for our demuxing, seeking, frame choice and colour conversion. The tests need only these files,
# not ffmpeg.
#
# The pattern: 10 frames of 32 × 24 at 10 fps (1 s), luma 40 + 16·N + x/2 + y/2 for frame N, so
# frames differ by 16 levels of brightness and a decoded frame is told apart from its neighbours
# by its mean; chroma ramps in x and y so that a swapped or mis-sited chroma plane shows.
#
#   counter.mp4            H.264 (libx264; mpeg4 if absent), keyframe every 4 frames, B-frames,
#                          moov after mdat (the order a camera or ffmpeg writes by default)
#   counter-faststart.mp4  the same with moov first (-movflags +faststart): cutting it in mdat
#                          leaves an index that promises frames the file no longer has
#   counter.avi            Motion JPEG (every frame a keyframe; yuvj420p, full range)
#   counter.mkv            MPEG-4 part 2, keyframe every 4 frames, 2 B-frames
#   counter.webm           VP9 (libvpx-vp9; VP8 if absent), keyframe every 4 frames
#   counter-long-audio.mkv the MKV's video with 2 s of a tone in AAC: the container's duration
#                          (2 s) is the audio's, and the video ends at 1 s
#   audio-only.mp4         0.2 s of a 440 Hz tone in AAC and no video stream
#
# Run from the repository root (ffmpeg 5.1.9, Debian 12, wrote the committed files):
#   scripts/reference/make_video_fixtures.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
out=Tests/Fixtures/video
mkdir -p "$out"

pattern="color=c=black:s=32x24:r=10:d=1,format=yuv444p,geq=lum='40+16*N+X/2+Y/2':cb='128+X-16':cr='128+Y-12'"
ff() { ffmpeg -hide_banner -loglevel error -y "$@"; }
encoders=$(ffmpeg -hide_banner -encoders 2>/dev/null)
has_encoder() { [[ $encoders == *" $1 "* ]]; }
# No timestamps or library versions in the files, so that the same ffmpeg writes the same bytes.
exact=(-map_metadata -1 -fflags +bitexact -flags:v +bitexact)

if has_encoder libx264; then h264=(-c:v libx264 -threads 1 -preset veryfast -crf 12 -g 4 -keyint_min 4 -sc_threshold 0)
else h264=(-c:v mpeg4 -q:v 2 -g 4 -bf 2); fi
if has_encoder libvpx-vp9; then vpx=(-c:v libvpx-vp9 -threads 1 -row-mt 0 -crf 10 -b:v 0 -g 4 -deadline good -cpu-used 4)
else vpx=(-c:v libvpx -threads 1 -crf 4 -b:v 1M -g 4); fi

ff -f lavfi -i "$pattern" "${h264[@]}" -pix_fmt yuv420p "${exact[@]}" "$out/counter.mp4"
ff -f lavfi -i "$pattern" "${h264[@]}" -pix_fmt yuv420p "${exact[@]}" -movflags +faststart "$out/counter-faststart.mp4"
ff -f lavfi -i "$pattern" -c:v mjpeg -q:v 2 -pix_fmt yuvj420p "${exact[@]}" "$out/counter.avi"
ff -f lavfi -i "$pattern" -c:v mpeg4 -q:v 2 -g 4 -bf 2 -pix_fmt yuv420p "${exact[@]}" "$out/counter.mkv"
ff -f lavfi -i "$pattern" "${vpx[@]}" -pix_fmt yuv420p "${exact[@]}" "$out/counter.webm"
ff -f lavfi -i "$pattern" -f lavfi -i "sine=frequency=440:duration=2" -c:v mpeg4 -q:v 2 -g 4 -bf 2 -pix_fmt yuv420p \
   -c:a aac -b:a 16k "${exact[@]}" "$out/counter-long-audio.mkv"
ff -f lavfi -i "sine=frequency=440:duration=0.2" -c:a aac -b:a 32k "${exact[@]}" "$out/audio-only.mp4"

# The reference decode: every frame, in presentation order, none dropped or repeated.
for file in counter.mp4 counter.avi counter.mkv counter.webm; do
    ff -i "$out/$file" -map 0:v:0 -fps_mode passthrough -f rawvideo -pix_fmt rgb24 "$out/$file.rgb"
done
ls -l "$out"
