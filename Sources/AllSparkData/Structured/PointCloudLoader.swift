import Foundation
import SparkEngine

/// Point-cloud samples from PLY (`PLYReader`), OFF (`OFFReader`), XYZ/ModelNet text (`XYZReader`)
/// or LAS (`LASReader`; `.laz` is refused with how to decompress it). A LAS sample's `conversion`
/// describes its header (version, format, count, scale and offset, bounds, the writer's strings),
/// which the sample stage shows.
///
/// Options:
/// - `sampling`: `auto` (default), `surface` or `vertices`. `auto` returns the vertices, except for
///   a mesh with faces and fewer vertices than `points` (a CAD-like model: a cube has 8), whose
///   surface is sampled instead (area-weighted, `MeshSurfaceSampling`).
/// - `points`: how many points to sample from a surface (default 2048).
/// - `seed`: the seed of that sampling (default 0).
///
/// Per-vertex values other than x, y, z (normals, colours, intensities) are returned in
/// `properties` under their file names (nx, ny, nz, red, …), interpolated when a surface is sampled.
public struct PointCloudLoader: SampleLoader {
    public let modality = Modality.pointcloud
    public let fileExtensions = ["ply", "off", "xyz", "txt", "pts", "las", "laz"]

    public static let defaultSurfacePoints = 2048

    public init() {}

    public func load(path: String, options: [String: String], limits: LoadLimits) throws -> Sample {
        let options = try LoaderOptions(options, file: path, allowed: ["sampling", "points", "seed"])
        let sampling = options.string("sampling") ?? "auto"
        guard ["auto", "surface", "vertices"].contains(sampling) else {
            throw DataError.invalidArgument("\(path): option sampling=\(sampling); expected auto, surface or vertices")
        }
        let pointCount = try options.integer("points", default: Self.defaultSurfacePoints, in: 1...max(1, limits.maxPoints))!
        let seed = try options.integer("seed", default: 0, in: 0...Int.max)!

        let mesh: PolygonMesh
        var conversion: String?
        switch (path as NSString).pathExtension.lowercased() {
        case "ply": mesh = try PLYReader.read(path, limits: limits)
        case "off": mesh = try OFFReader.read(path, limits: limits)
        case "xyz", "txt", "pts": mesh = try XYZReader.read(path, limits: limits)
        case "las", "laz":
            let cloud = try LASReader.read(path, limits: limits)
            mesh = cloud.points
            conversion = cloud.header.summary
        default:
            throw DataError.unreadable(file: path, problem: "extension '.\((path as NSString).pathExtension)' is not a point-cloud format; expected .ply, .off, .xyz, .txt, .pts or .las")
        }
        guard mesh.vertexCount > 0 else {
            throw DataError.malformed(file: path, problem: "has no vertices; expected at least one point")
        }
        let sampleSurface: Bool
        switch sampling {
        case "surface":
            guard mesh.faceCount > 0 else {
                throw DataError.invalidArgument("\(path): option sampling=surface, but the file has no faces; expected a mesh (or use sampling=vertices)")
            }
            sampleSurface = true
        case "vertices": sampleSurface = false
        default: sampleSurface = mesh.faceCount > 0 && mesh.vertexCount < pointCount
        }
        if sampleSurface {
            let sampled = try MeshSurfaceSampling.sample(mesh, count: pointCount, seed: UInt64(seed), file: path)
            return Sample(modality: .pointcloud, path: path,
                          content: .pointCloud(Tensor(shape: [pointCount, 3], scalars: sampled.positions), properties: sampled.properties),
                          conversion: conversion)
        }
        return Sample(modality: .pointcloud, path: path,
                      content: .pointCloud(Tensor(shape: [mesh.vertexCount, 3], scalars: mesh.positions), properties: mesh.vertexProperties),
                      conversion: conversion)
    }
}
