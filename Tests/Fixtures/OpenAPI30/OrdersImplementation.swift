import CZlib
import TrellisCore

/// The handler of the OpenAPI 3.0 fixture: echoes the order it was given.
public struct OrdersImplementation: OrdersService {
    public init() {}

    public func placeOrder(_ input: Orders.PlaceOrder.Input) async throws -> Orders.PlaceOrder.Output {
        .created(input.body)
    }

    /// Reads the archive through, as a service that stores it elsewhere would, and answers
    /// what it read.
    public func storeArchive(_ input: Orders.StoreArchive.Input) async throws -> Orders.StoreArchive.Output {
        var crc = crc32(0, nil, 0)
        var bytes = 0
        for try await chunk in input.body.archive.chunks() {
            bytes += chunk.count
            crc = chunk.withUnsafeBufferPointer { crc32(crc, $0.baseAddress, uInt($0.count)) }
        }
        return .created(
            StoredArchive(
                label: input.body.label, bytes: bytes, checksum: String(crc, radix: 16), filename: input.body.archive.filename,
                tags: input.body.tags ?? [], source: input.body.meta?.source, extras: (input.body.extras ?? []).map { $0.filename ?? "" }))
    }
}
