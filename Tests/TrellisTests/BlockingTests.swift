import Foundation
import HTTPTypes
import Synchronization
import Testing
import Trellis
import TrellisCore
import TrellisTesting

/// A service with a handler that blocks its thread, with and without `runBlocking`.
struct BlockingService: HandWrittenService {
    struct Output: HandWrittenOutput {
        var statusCode: Int { 200 }
        var contentType: String? { "text/plain" }
        var headers: [(name: String, value: String)] { [] }
        var body: OutputBody
    }

    static let serviceDescription = ServiceDescription(
        name: "Blocking", openAPIDocument: #"{"openapi": "3.1.0", "info": {"title": "B", "version": "1"}, "paths": {}}"#, schemaDocuments: [:])

    static let operations: [OperationDescription] = ["offloaded", "blocking", "fast"].map { id in
        OperationDescription(
            id: id, method: .get, path: "/" + id, parameters: [], body: nil,
            responses: [ResponseDescription(status: .code(200), contentType: "text/plain", schema: nil)], dependencies: [])
    }

    func handle(operation id: String, from source: some OperationInputSource) async throws -> any OperationOutput {
        switch id {
        case "offloaded": try await runBlocking { usleep(500_000) }
        case "blocking": usleep(500_000)  // what not to do
        default: break
        }
        return Output(body: .text(id))
    }
}

/// Serialized: the test that blocks the cooperative pool would delay the other one.
@Suite(.serialized) struct BlockingTests {
    /// Enough blocked requests to occupy every thread of the cooperative pool.
    let crowd = ProcessInfo.processInfo.activeProcessorCount + 1

    @Test func blockingWorkThroughTheHelperLeavesTheServerResponsive() async throws {
        var configuration = TrellisConfiguration()
        configuration.stallThreshold = nil
        let client = TrellisTestClient(try TrellisApplication(configuration: configuration, services: BlockingService()))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<crowd { group.addTask { _ = try await client.get("/offloaded") } }
            try await Task.sleep(for: .milliseconds(50))  // the blocking work is under way
            let start = ContinuousClock.now
            #expect(try await client.get("/fast").text == "fast")
            let latency = ContinuousClock.now - start
            #expect(latency < .milliseconds(300), "a request waited \(latency) behind blocking work")
            try await group.waitForAll()
        }
    }

    /// More blocked requests than threads, as libdispatch adds threads to a pool whose
    /// threads block for long: each new thread takes a blocking request before the heartbeat.
    @Test func theStallDetectorNamesAHandlerThatBlocks() async throws {
        let crowd = 4 * ProcessInfo.processInfo.activeProcessorCount
        let reports = Mutex<[String]>([])
        var configuration = TrellisConfiguration()
        configuration.stallThreshold = .milliseconds(100)
        configuration.onStall = { report in reports.withLock { $0.append(report) } }
        let client = TrellisTestClient(try TrellisApplication(configuration: configuration, services: BlockingService()))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<crowd { group.addTask { _ = try await client.get("/blocking") } }
            try await group.waitForAll()
        }
        let report = try #require(reports.withLock { $0.first })
        #expect(report.contains("a handler is blocking a thread"))
        #expect(report.contains("blocking for "))
    }
}
