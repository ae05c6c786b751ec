#if ALLSPARK_FUZZ
import AllSparkData

extension FuzzTarget {
    /// MVSNet cam.txt: extrinsic 4×4, intrinsic 3×3, depth range.
    static let camera = FuzzTarget(name: "cam", maxLength: 4096) { bytes in
        _ = try MVSNetCameraFile.parse(String(decoding: bytes, as: UTF8.self), file: "fuzz_cam.txt")
    }
}
#endif
