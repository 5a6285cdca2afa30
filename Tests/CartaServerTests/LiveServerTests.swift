import CartaTrial
import CartaModel
import CartaServer
import CartaStore
import CartaTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The same contracts over a real TCP socket (`.live`), not only through the in-process router.
/// Source: DESIGN.md §3 (health, token sign-in, error shape); issue 2 §7.
@Suite("Live server")
struct LiveServerTests {
    @Test(arguments: TestDatabase.engines)
    func contractsOverARealSocket(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine, setup: .live) { _, client in
            #expect(client.port != nil && client.port != 0)
            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.status == .ok)
            #expect(health.json == ["status": "ok"])
            expectErrorShape(try await client.api(.post, "/api/v1/tokens", json: ["username": "coordinator", "password": "wrong-password"]),
                             .unauthorized, code: "invalid_credentials")
            let token = try await client.token(.coordinator)
            let registered = try await client.api(.post, "/api/v1/participants", token: token,
                                                  json: ["fullName": "Ada Lovelace", "dateOfBirth": "1980-05-17", "hospitalNumber": "H-1"])
            #expect(registered.status == .created)
            #expect(registered.json?["subjectID"] == "BCRITP-001")
            let r = try await client.api(.put, "/api/v1/participants/BCRITP-001/forms/F_LAB_HEM", token: token,
                                         json: ScreeningData.formBody(version: 1, items: ["HGB": Entry(value: "300", unit: "g/L")]))
            expectErrorShape(r, .unprocessableContent, field: "item.HGB")
            #expect(health.headers[.xContentTypeOptions] == "nosniff")
            let page = try await client.execute(uri: "/signin", method: .get)
            #expect(page.status == .ok)
            #expect(page.headers[.contentSecurityPolicy]?.contains("default-src 'self'") == true)
        }
    }
}

/// A connection that starts a request and never finishes its headers is closed after the idle
/// timeout, so slow clients cannot hold the server's connections forever.
/// Source: issue 7 ("connections that never finish their headers are never closed"); OWASP Denial of
/// Service Cheat Sheet (slow HTTP attacks).
@Suite struct IdleConnectionTests {
    @Test func unfinishedHeadersAreClosed() async throws {
        try await TestServer.run(.sqlite, setup: .live, idleTimeout: .seconds(1)) { _, client in
            let port = try #require(client.port)
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            try #require(fd >= 0)
            defer { close(fd) }
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_port = in_port_t(UInt16(port).bigEndian)
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            try #require(connected == 0)
            let partial = Array("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n".utf8)
            _ = partial.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            // Wait past the timeout, then a read returns end-of-file: the server closed the connection.
            var timeout = timeval(tv_sec: 5, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            let start = Date()
            var buffer = [UInt8](repeating: 0, count: 256)
            let n = recv(fd, &buffer, buffer.count, 0)
            #expect(n == 0, "expected the server to close the idle connection, got \(n) bytes/errno \(errno)")
            #expect(Date().timeIntervalSince(start) < 4.5, "closed by the idle timeout, not by the read timeout")
        }
    }
}
