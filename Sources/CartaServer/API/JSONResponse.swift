import CartaCore
import CartaTrial
import Foundation
import Hummingbird

/// JSON bodies for the API: sorted keys and ISO 8601 UTC times, so responses are stable and diffable.
enum JSONResponse {
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .iso8601
        return e
    }()

    static func make<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try encoder.encode(value)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func raw(_ data: Data, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func error(_ e: AppError) -> Response { raw(e.jsonBody, status: e.status) }

    /// Decodes a JSON request body, mapping decoding failures to 422 naming the field.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        let data = Data(buffer: buffer)
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let e as DecodingError {
            let c = CalculatorJSON.describe(e)
            throw AppError(.unprocessableContent, code: c.code, message: c.message, field: c.field)
        }
    }
}
