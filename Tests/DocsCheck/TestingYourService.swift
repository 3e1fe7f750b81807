import TrellisTesting

/// The test client the article's requests go through (TestingYourService.md makes one).
let client: TrellisTestClient = { fatalError("type-checked only") }()
