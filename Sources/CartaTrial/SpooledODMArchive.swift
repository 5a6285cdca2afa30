import Foundation

/// An ODM archive written one participant at a time: every participant's part of the clinical data is spooled to
/// a file as it is built, and the document's opening — which lists the units, user names and signature meanings the
/// participants' records use — is made after the last (`ODMArchive.TrailFacts`). Memory is bounded by one
/// participant's records whatever the study's size; the spool's size is the clinical data's.
///
/// The spool is created mode 0600 in a private folder and unlinked at once, so it is never left behind (not even
/// when a download is abandoned before its body is read) and no other user can open it: the open handle is the only
/// way to it, and closing it frees the space.
public final class SpooledODMArchive: Sendable {
    /// Everything before the first participant.
    public let opening: String
    /// The participants' parts, in order, from offset 0.
    let body: FileHandle
    public let bodyBytes: Int
    /// The whole document's size in bytes (a download's Content-Length).
    public var byteCount: Int { opening.utf8.count + bodyBytes + ODMArchive.closing.utf8.count }

    init(opening: String, body: FileHandle, bodyBytes: Int) {
        self.opening = opening; self.body = body; self.bodyBytes = bodyBytes
    }

    deinit { try? body.close() }

    /// An empty spool: a file in a new private folder of `directory` (mode 0700), opened for reading and writing
    /// and unlinked with its folder before anything is written.
    static func spool(in directory: URL) throws -> FileHandle {
        let folder = directory.appendingPathComponent("carta-odm-\(UUID().uuidString)", isDirectory: true)
        do { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700]) } catch {
            throw WorkflowError.invalid("spool", "cannot write the archive's spool in \(directory.path) (\((error as NSError).localizedDescription)); "
                                        + "give a folder that exists and that Carta can write to")
        }
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("clinical-data.xml").path
        let fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw WorkflowError.invalid("spool", "cannot write the archive's spool in \(directory.path): \(String(cString: strerror(errno)))") }
        unlink(path)
        return FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    }

    /// The document, in pieces of at most 1 MiB, to `write`.
    public func write(to write: (Data) async throws -> Void) async throws {
        try await write(Data(opening.utf8))
        try body.seek(toOffset: 0)
        var left = bodyBytes
        while left > 0, let chunk = try body.read(upToCount: min(left, 1 << 20)), !chunk.isEmpty {
            left -= chunk.count
            try await write(chunk)
        }
        guard left == 0 else { throw WorkflowError.invalid("spool", "the archive's spool ended \(left) bytes early") }
        try await write(Data(ODMArchive.closing.utf8))
    }

    /// The whole document as one string (for tests and small studies: it holds everything).
    public func text() async throws -> String {
        var data = Data()
        try await write { data.append($0) }
        return String(decoding: data, as: UTF8.self)
    }
}
