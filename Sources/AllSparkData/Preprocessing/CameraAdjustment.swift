/// Keeping MVSNet cameras consistent with resized or cropped views: the intrinsic matrix scales
/// with the image and shifts with a crop; the extrinsic is unchanged.
public enum CameraAdjustment {
    /// The camera of a view resized from `from` (height, width) to `to`, with the half-pixel
    /// convention of `ImageResize.bilinear`: u' = (u + 0.5)·sx − 0.5.
    public static func resized(_ camera: Camera, from: (height: Int, width: Int), to: (height: Int, width: Int)) -> Camera {
        let sx = Float(to.width) / Float(from.width), sy = Float(to.height) / Float(from.height)
        var result = camera
        var k = camera.intrinsic
        k[0] *= sx; k[1] *= sx; k[2] = (k[2] + 0.5) * sx - 0.5
        k[4] *= sy; k[5] = (k[5] + 0.5) * sy - 0.5
        result.intrinsic = k
        return result
    }

    /// The camera of a view cropped at (top, left): the principal point moves by the offset.
    public static func cropped(_ camera: Camera, top: Int, left: Int) -> Camera {
        var result = camera
        result.intrinsic[2] -= Float(left)
        result.intrinsic[5] -= Float(top)
        return result
    }
}
