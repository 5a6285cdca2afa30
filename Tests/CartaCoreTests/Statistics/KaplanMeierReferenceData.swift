// GENERATED from /work/shared/reference/km/*.csv (R 4.2.2 survival 3.5-3 survfit; see that README).
// Regenerate: save the commented script at the end of this file (without the leading // ) as gen_km.py, then run
//   python3 gen_km.py > Tests/CartaCoreTests/Statistics/KaplanMeierReferenceData.swift
@testable import CartaCore

/// The reference data set and R's expected outputs for the Kaplan–Meier tests.
/// Source: reference/km/README.md (dor.csv; expected_R_{log,loglog,plain,median}.csv).
enum KaplanMeierReferenceData {
    /// dor.csv: (id, time in months, event 1 = loss of response or death).
    static let subjects: [(id: String, time: Double, event: Bool)] = [
        ("R01", 3, true),
        ("R02", 3, true),
        ("R03", 3, false),
        ("R04", 5, true),
        ("R05", 6, false),
        ("R06", 7, true),
        ("R07", 7, true),
        ("R08", 8, false),
        ("R09", 9, true),
        ("R10", 10, false),
        ("R11", 12, true),
        ("R12", 12, false),
        ("R13", 14, true),
        ("R14", 15, false),
        ("R15", 16, true),
        ("R16", 18, false),
        ("R17", 18, false),
        ("R18", 20, true),
        ("R19", 22, false),
        ("R20", 24, false),
    ]

    /// One expected row: time, n.risk, n.event, n.censor, surv, std.err (of S), lower, upper.
    typealias Row = (time: Double, nRisk: Int, nEvent: Int, nCensor: Int, surv: Double, stdErr: Double, lower: Double, upper: Double)

    /// expected_R_log.csv
    static let log: [Row] = [
        (3, 20, 2, 1, 0.9, 0.0670820393249937, 0.777674202195885, 1),
        (5, 17, 1, 0, 0.847058823529412, 0.0813883199236094, 0.701660783491364, 1),
        (6, 16, 0, 1, 0.847058823529412, 0.0813883199236094, 0.701660783491364, 1),
        (7, 15, 2, 0, 0.734117647058824, 0.102483550282799, 0.558389297738099, 0.965148726714954),
        (8, 13, 0, 1, 0.734117647058824, 0.102483550282799, 0.558389297738099, 0.965148726714954),
        (9, 12, 1, 0, 0.672941176470588, 0.110706890298781, 0.487465905561065, 0.928987692930847),
        (10, 11, 0, 1, 0.672941176470588, 0.110706890298781, 0.487465905561065, 0.928987692930847),
        (12, 10, 1, 1, 0.605647058823529, 0.118334361223627, 0.41295961665452, 0.888242687827905),
        (14, 8, 1, 0, 0.529941176470588, 0.125443298081175, 0.33322552969926, 0.842785517581713),
        (15, 7, 0, 1, 0.529941176470588, 0.125443298081175, 0.33322552969926, 0.842785517581713),
        (16, 6, 1, 0, 0.441617647058824, 0.132017665197334, 0.245803064934512, 0.793424387306689),
        (18, 5, 0, 2, 0.441617647058824, 0.132017665197334, 0.245803064934512, 0.793424387306689),
        (20, 3, 1, 0, 0.294411764705882, 0.148971319570979, 0.109206922142917, 0.793706896013402),
        (22, 2, 0, 1, 0.294411764705882, 0.148971319570979, 0.109206922142917, 0.793706896013402),
        (24, 1, 0, 1, 0.294411764705882, 0.148971319570979, 0.109206922142917, 0.793706896013402),
    ]

    /// expected_R_loglog.csv
    static let logLog: [Row] = [
        (3, 20, 2, 1, 0.9, 0.0670820393249937, 0.656030707261567, 0.974010174395775),
        (5, 17, 1, 0, 0.847058823529412, 0.0813883199236094, 0.596795178798081, 0.948024641400145),
        (6, 16, 0, 1, 0.847058823529412, 0.0813883199236094, 0.596795178798081, 0.948024641400145),
        (7, 15, 2, 0, 0.734117647058824, 0.102483550282799, 0.472799181045987, 0.880263021776445),
        (8, 13, 0, 1, 0.734117647058824, 0.102483550282799, 0.472799181045987, 0.880263021776445),
        (9, 12, 1, 0, 0.672941176470588, 0.110706890298781, 0.409019915775897, 0.839039629862813),
        (10, 11, 0, 1, 0.672941176470588, 0.110706890298781, 0.409019915775897, 0.839039629862813),
        (12, 10, 1, 1, 0.605647058823529, 0.118334361223627, 0.340889714157985, 0.79163388315274),
        (14, 8, 1, 0, 0.529941176470588, 0.125443298081175, 0.267538130559788, 0.736524887430275),
        (15, 7, 0, 1, 0.529941176470588, 0.125443298081175, 0.267538130559788, 0.736524887430275),
        (16, 6, 1, 0, 0.441617647058824, 0.132017665197334, 0.187518110030718, 0.670943032438733),
        (18, 5, 0, 2, 0.441617647058824, 0.132017665197334, 0.187518110030718, 0.670943032438733),
        (20, 3, 1, 0, 0.294411764705882, 0.148971319570979, 0.0638268714088394, 0.580776211154245),
        (22, 2, 0, 1, 0.294411764705882, 0.148971319570979, 0.0638268714088394, 0.580776211154245),
        (24, 1, 0, 1, 0.294411764705882, 0.148971319570979, 0.0638268714088394, 0.580776211154245),
    ]

    /// expected_R_plain.csv
    static let plain: [Row] = [
        (3, 20, 2, 1, 0.9, 0.0670820393249937, 0.768521618913513, 1),
        (5, 17, 1, 0, 0.847058823529412, 0.0813883199236094, 0.687540647716914, 1),
        (6, 16, 0, 1, 0.847058823529412, 0.0813883199236094, 0.687540647716914, 1),
        (7, 15, 2, 0, 0.734117647058824, 0.102483550282799, 0.533253579496737, 0.93498171462091),
        (8, 13, 0, 1, 0.734117647058824, 0.102483550282799, 0.533253579496737, 0.93498171462091),
        (9, 12, 1, 0, 0.672941176470588, 0.110706890298781, 0.45595965864455, 0.889922694296626),
        (10, 11, 0, 1, 0.672941176470588, 0.110706890298781, 0.45595965864455, 0.889922694296626),
        (12, 10, 1, 1, 0.605647058823529, 0.118334361223627, 0.373715972691666, 0.837578144955392),
        (14, 8, 1, 0, 0.529941176470588, 0.125443298081175, 0.284076830129562, 0.775805522811614),
        (15, 7, 0, 1, 0.529941176470588, 0.125443298081175, 0.284076830129562, 0.775805522811614),
        (16, 6, 1, 0, 0.441617647058824, 0.132017665197334, 0.182867777948983, 0.700367516168665),
        (18, 5, 0, 2, 0.441617647058824, 0.132017665197334, 0.182867777948983, 0.700367516168665),
        (20, 3, 1, 0, 0.294411764705882, 0.148971319570979, 0.00243334361735653, 0.586390185794408),
        (22, 2, 0, 1, 0.294411764705882, 0.148971319570979, 0.00243334361735653, 0.586390185794408),
        (24, 1, 0, 1, 0.294411764705882, 0.148971319570979, 0.00243334361735653, 0.586390185794408),
    ]

    /// expected_R_median.csv: conf_type, median, lower_95, upper_95 (nil = NA, not reached).
    static let median: [(transform: SurvivalConfidenceTransform, median: Double?, lower: Double?, upper: Double?)] = [
        (.log, 16, 9, nil),
        (.logLog, 16, 7, nil),
        (.plain, 16, 9, nil),
    ]
}

// Generator script (python3):
// import csv, sys
// ref = "/work/shared/reference/km/"
// out = []
// out.append("// GENERATED from /work/shared/reference/km/*.csv (R 4.2.2 survival 3.5-3 survfit; see that README).")
// out.append("// Regenerate: save the commented script at the end of this file (without the leading // ) as gen_km.py, then run\n//   python3 gen_km.py > Tests/CartaCoreTests/Statistics/KaplanMeierReferenceData.swift")
// out.append("@testable import CartaCore\n")
// out.append("/// The reference data set and R's expected outputs for the Kaplan–Meier tests.")
// out.append("/// Source: reference/km/README.md (dor.csv; expected_R_{log,loglog,plain,median}.csv).")
// out.append("enum KaplanMeierReferenceData {")
// out.append("    /// dor.csv: (id, time in months, event 1 = loss of response or death).")
// out.append("    static let subjects: [(id: String, time: Double, event: Bool)] = [")
// for r in csv.DictReader(open(ref + "dor.csv")):
//     out.append(f'        ("{r["id"]}", {r["time"]}, {"true" if r["event"] == "1" else "false"}),')
// out.append("    ]\n")
// out.append("    /// One expected row: time, n.risk, n.event, n.censor, surv, std.err (of S), lower, upper.")
// out.append("    typealias Row = (time: Double, nRisk: Int, nEvent: Int, nCensor: Int, surv: Double, stdErr: Double, lower: Double, upper: Double)\n")
// for name, f in [("log", "expected_R_log.csv"), ("logLog", "expected_R_loglog.csv"), ("plain", "expected_R_plain.csv")]:
//     out.append(f"    /// {f}")
//     out.append(f"    static let {name}: [Row] = [")
//     for r in csv.DictReader(open(ref + f)):
//         out.append(f'        ({r["time"]}, {r["n_risk"]}, {r["n_event"]}, {r["n_censor"]}, {r["surv"]}, {r["std_err"]}, {r["lower_95"]}, {r["upper_95"]}),')
//     out.append("    ]\n")
// out.append("    /// expected_R_median.csv: conf_type, median, lower_95, upper_95 (nil = NA, not reached).")
// out.append("    static let median: [(transform: SurvivalConfidenceTransform, median: Double?, lower: Double?, upper: Double?)] = [")
// m = {"log": ".log", "log-log": ".logLog", "plain": ".plain"}
// for r in csv.DictReader(open(ref + "expected_R_median.csv")):
//     v = lambda s: "nil" if s == "NA" else s
//     out.append(f'        ({m[r["conf_type"]]}, {v(r["median"])}, {v(r["lower_95"])}, {v(r["upper_95"])}),')
// out.append("    ]")
// out.append("}")
// out.append("")
// out.append("// Generator script (python3):")
// out.extend("// " + line if line else "//" for line in open(sys.argv[0]).read().splitlines())
// print("\n".join(out))
