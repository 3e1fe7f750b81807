import TrellisTesting

@testable import Shelter

/// The test client the article's requests go through (TestingYourService.md makes one).
let client: TrellisTestClient = { fatalError("type-checked only") }()

/// The input of the shelter's photo upload, for the example that reads the file.
let input: AnimalShelter.UploadPhoto.Input = { fatalError("type-checked only") }()

/// A photo's bytes, for the upload example.
let png: [UInt8] = []
