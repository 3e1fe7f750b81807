import TrellisCore

/// The bench API: every pet is computed from its number, nothing is stored.
struct PetstoreImplementation: PetstoreService {
    static let statuses: [Status] = [.available, .pending, .sold]

    /// Pet number `n`, by the rule of the bench API.
    static func pet(_ n: Int, status: Status? = nil) -> Pet {
        let code = String(n % 10_000)
        return Pet(
            id: n, name: "pet-\(n)", tag: "tag-\(n % 7)", age: n % 20, status: status ?? statuses[n % 3],
            tags: ["t\(n % 5)", "u\(n % 11)"], weight: Double(n) / 4,
            code: "ABC-" + String(repeating: "0", count: 4 - code.count) + code)
    }

    func plaintext(_ input: Petstore.Plaintext.Input) async throws -> Petstore.Plaintext.Output {
        .ok("Hello, World!")
    }

    func getPet(_ input: Petstore.GetPet.Input) async throws -> Petstore.GetPet.Output {
        guard input.petId <= 1000 else { return .notFound(ErrorModel(detail: "pet not found")) }
        return .ok(Self.pet(input.petId))
    }

    func listPets(_ input: Petstore.ListPets.Input) async throws -> Petstore.ListPets.Output {
        .ok((0..<input.limit).map { Self.pet(input.offset + $0 + 1, status: input.status) })
    }

    func createPet(_ input: Petstore.CreatePet.Input) async throws -> Petstore.CreatePet.Output {
        let body = input.body
        return .created(
            Pet(
                id: 1001, name: body.name, tag: body.tag, age: body.age, status: body.status, tags: body.tags ?? [],
                weight: body.weight, code: body.code))
    }
}
