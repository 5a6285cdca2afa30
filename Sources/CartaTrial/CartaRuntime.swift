import CartaModel
import CartaStore
import CartaStudy
import Foundation
import Logging

/// The composition root: one opened store, the loaded study, the clock and every application service,
/// built the same way for `carta serve`, the other CLI commands and the tests.
///
/// Source: DESIGN.md §2 (one composition root used by `main` and by tests); issue 6 scope 1;
/// hummingbird-examples todos-postgres-tutorial `App+build.swift`.
public struct CartaRuntime: Sendable {
    /// The configuration it was built from.
    public let config: CartaConfig
    /// The database.
    public let store: CartaStore
    /// The protocol as data.
    public let study: Study
    /// `now` and the site's calendar date.
    public let clock: SiteClock
    /// Screening and enrolment.
    public let screening: ScreeningService
    /// Accounts, passwords, sessions and API tokens.
    public let accounts: AccountService
    /// The audit trail as reviewers read it (filters, site scope, labels).
    public let audit: AuditReview
    /// Data locks (form, casebook, database).
    public let locks: LockService
    /// Data queries (raise, answer, close, re-open, inbox).
    public let queries: QueryService
    /// Source data verification and its progress.
    public let sourceVerification: SourceVerificationService
    /// The investigator's casebook signature.
    public let casebook: CasebookService
    /// Electronic copies (the ODM archive).
    public let exports: ExportService
    public let imports: ODMImportService
    /// Trial conduct after enrolment: visit forms in the order of events, calendar, deviations.
    public let conduct: ConductService
    /// The lymphodepletion dose calculation and its second-person verification.
    public let dosing: LymphodepletionDosing
    /// The coordinator's today screen and its alerts.
    public let today: TodayService
    /// The adverse-event log and the SAE clocks.
    public let adverseEvents: AdverseEventService
    /// The registry's outcome measures derived from the captured data.
    public let outcomes: OutcomeService

    /// Wires the services over an opened store with `clock`.
    public init(config: CartaConfig, store: CartaStore, study: Study, clock: SiteClock) {
        self.config = config
        self.store = store
        self.study = study
        self.clock = clock
        self.screening = ScreeningService(store: store, study: study, clock: clock)
        var accounts = AccountService(store: store, bcryptCost: config.bcryptCost, lifetime: config.sessionLifetime, clock: clock)
        accounts.idleTimeout = config.sessionIdleTimeout
        self.accounts = accounts
        self.audit = AuditReview(store: store, study: study, clock: clock, screening: screening)
        self.locks = LockService(store: store, study: study, screening: screening, accounts: accounts)
        self.queries = QueryService(store: store, study: study, screening: screening)
        self.sourceVerification = SourceVerificationService(store: store, study: study, screening: screening)
        self.casebook = CasebookService(store: store, study: study, screening: screening, accounts: accounts)
        self.exports = ExportService(store: store, study: study, clock: clock, screening: screening)
        self.imports = ODMImportService(store: store, study: study)
        self.conduct = ConductService(screening: screening)
        self.dosing = LymphodepletionDosing(conduct: conduct)
        self.today = TodayService(conduct: conduct)
        self.adverseEvents = AdverseEventService(conduct: conduct)
        self.outcomes = OutcomeService(adverseEvents: adverseEvents)
    }

    /// Wires the services with a clock reading `instant` in the study site's time zone (the study
    /// loader has already refused an unknown zone name).
    public init(config: CartaConfig, store: CartaStore, study: Study, instant: @escaping @Sendable () -> Date) {
        let clock = SiteClock(timeZoneIdentifier: study.timeZone, instant: instant) ?? SiteClock(timeZone: .gmt, instant: instant)
        self.init(config: config, store: store, study: study, clock: clock)
    }

    /// Loads the study file named in the configuration, or the built-in NCT05315778 study.
    public static func loadStudy(_ config: CartaConfig) throws -> Study {
        guard let path = config.studyFile else { return try StudyLoader.builtIn() }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw WorkflowError(.invalidInput, "study file \(path) cannot be read; check the path given to --study")
        }
        return try StudyLoader.load(yaml: String(decoding: data, as: UTF8.self))
    }

    /// Opens the database and builds the runtime.
    ///
    /// `migrate`: `.ifEmpty` migrates a brand-new database and refuses one with pending migrations
    /// (`serve`); `.require` refuses any pending migration (other commands); `.never` opens as is (`migrate`, `audit`).
    public static func open(_ config: CartaConfig, study: Study? = nil, migrate: MigrationPolicy,
                            instant: @escaping @Sendable () -> Date,
                            logger: Logger = Logger(label: "carta")) async throws -> CartaRuntime {
        let study = try study ?? loadStudy(config)
        let url = try DatabaseURL(parsing: config.databaseURL)
        let store = try await CartaStore.open(url, audit: config.auditFiles, logger: logger)
        do {
            switch migrate {
            case .never: break
            case .ifEmpty, .require:
                if migrate == .ifEmpty, try await store.isEmpty() {
                    let applied = try await store.migrate()
                    logger.info("new database: applied \(applied.count) migrations", metadata: ["db": "\(url)"])
                } else {
                    let pending = try await store.pendingMigrations()
                    guard pending.isEmpty else {
                        throw StoreError(.invalidConfiguration,
                                         "the database at \(url) needs migrations \(pending.joined(separator: ", ")); run `carta migrate --db …` first")
                    }
                }
            }
            return CartaRuntime(config: config, store: store, study: study, instant: instant)
        } catch {
            await store.close()
            throw error
        }
    }

    /// When opening a database runs migrations.
    public enum MigrationPolicy: Sendable {
        /// Migrate a brand-new database; refuse pending migrations on one in use.
        case ifEmpty
        /// Refuse any pending migration.
        case require
        /// Open as is.
        case never
    }
}
