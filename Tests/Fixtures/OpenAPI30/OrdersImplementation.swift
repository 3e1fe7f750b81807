import TrellisCore

/// The handler of the OpenAPI 3.0 fixture: echoes the order it was given.
public struct OrdersImplementation: OrdersService {
    public init() {}

    public func placeOrder(_ input: Orders.PlaceOrder.Input) async throws -> Orders.PlaceOrder.Output {
        .created(input.body)
    }
}
