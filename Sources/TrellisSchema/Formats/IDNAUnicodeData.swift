// Generated from the Unicode 17.0 character database (the version of the Swift 6.3 standard
// library): DerivedBidiClass.txt, ArabicShaping.txt and Scripts.txt. Each table only needs to
// be right for code points IDNA2008 permits in a label (PVALID, CONTEXTJ, CONTEXTO); ranges are
// merged across code points that can never reach a lookup, and marks are left out where the
// lookup derives their value from the general category first.

/// Unicode properties that the IDNA2008 rules need and `Unicode.Scalar.Properties` does not expose.
enum IDNAUnicodeData {
    /// The Bidi_Class values RFC 5893 distinguishes.
    enum BidiClass: Sendable {
        case leftToRight, rightToLeft, arabicLetter, europeanNumber, arabicNumber
        case europeanSeparator, otherNeutral, boundaryNeutral, nonSpacingMark
    }

    /// The Joining_Type values the ZERO WIDTH NON-JOINER rule of RFC 5892 uses; everything else is non-joining.
    enum JoiningType: Sendable {
        case dual, right, left, transparent, nonJoining
    }

    /// Bidi_Class for a code point permitted in a label.
    static func bidiClass(of scalar: Unicode.Scalar) -> BidiClass {
        if isMark(scalar) && !leftToRightMarks.contains(scalar.value) {
            return .nonSpacingMark
        }
        return lookUp(scalar.value, in: bidiClasses) ?? .leftToRight
    }

    /// Joining_Type for a code point permitted in a label.
    static func joiningType(of scalar: Unicode.Scalar) -> JoiningType {
        if isMark(scalar) {
            return .transparent
        }
        return lookUp(scalar.value, in: joiningTypes) ?? .nonJoining
    }

    /// Script property (not Script_Extensions) checks for the CONTEXTO rules.
    static func isGreek(_ scalar: Unicode.Scalar) -> Bool { contains(scalar.value, in: greek) }
    static func isHebrew(_ scalar: Unicode.Scalar) -> Bool { contains(scalar.value, in: hebrew) }
    static func isHiraganaKatakanaOrHan(_ scalar: Unicode.Scalar) -> Bool {
        contains(scalar.value, in: hiragana) || contains(scalar.value, in: katakana) || contains(scalar.value, in: han)
    }

    /// Nonspacing and enclosing marks: Bidi_Class NSM and Joining_Type T, with few exceptions.
    private static func isMark(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark: true
        default: false
        }
    }

    private static func lookUp<Value>(_ value: UInt32, in table: [(ClosedRange<UInt32>, Value)]) -> Value? {
        index(of: value, in: table.lazy.map(\.0)).map { table[$0].1 }
    }

    private static func contains(_ value: UInt32, in ranges: [ClosedRange<UInt32>]) -> Bool {
        index(of: value, in: ranges) != nil
    }

    /// Binary search for the range holding `value` in sorted, non-overlapping ranges.
    private static func index(
        of value: UInt32, in ranges: some RandomAccessCollection<ClosedRange<UInt32>>
    ) -> Int? {
        var low = 0
        var high = ranges.count
        while low < high {
            let middle = (low + high) / 2
            let range = ranges[ranges.index(ranges.startIndex, offsetBy: middle)]
            if value < range.lowerBound {
                high = middle
            } else if value > range.upperBound {
                low = middle + 1
            } else {
                return middle
            }
        }
        return nil
    }

    /// Nonspacing marks whose Bidi_Class is L rather than NSM.
    private static let leftToRightMarks: Set<UInt32> = [0x0CBF, 0x0CC6, 0x11A07, 0x11A08, 0x11C3F]

    /// Bidi_Class other than L for non-mark code points.
    private static let bidiClasses: [(ClosedRange<UInt32>, BidiClass)] = [
        (0x002D...0x002D, .europeanSeparator),
        (0x0030...0x0039, .europeanNumber),
        (0x00B7...0x00B7, .otherNeutral),
        (0x02B9...0x02BA, .otherNeutral),
        (0x02C6...0x02CF, .otherNeutral),
        (0x02EC...0x02EC, .otherNeutral),
        (0x0375...0x0375, .otherNeutral),
        (0x05D0...0x05F4, .rightToLeft),
        (0x0620...0x064A, .arabicLetter),
        (0x0660...0x0669, .arabicNumber),
        (0x066E...0x06EF, .arabicLetter),
        (0x06F0...0x06F9, .europeanNumber),
        (0x06FA...0x07B1, .arabicLetter),
        (0x07C0...0x0858, .rightToLeft),
        (0x0860...0x08C9, .arabicLetter),
        (0x200C...0x200D, .boundaryNeutral),
        (0x2E2F...0x2E2F, .otherNeutral),
        (0x30FB...0x30FB, .otherNeutral),
        (0xA67F...0xA67F, .otherNeutral),
        (0xA717...0xA71F, .otherNeutral),
        (0xA788...0xA788, .otherNeutral),
        (0xFE73...0xFE73, .arabicLetter),
        (0x10800...0x10CF2, .rightToLeft),
        (0x10D00...0x10D23, .arabicLetter),
        (0x10D30...0x10D49, .arabicNumber),
        (0x10D4A...0x10EB1, .rightToLeft),
        (0x10EC2...0x10EC7, .arabicLetter),
        (0x10F00...0x10F27, .rightToLeft),
        (0x10F30...0x10F45, .arabicLetter),
        (0x10F70...0x10FF6, .rightToLeft),
        (0x1E800...0x1E959, .rightToLeft),
    ]

    /// Joining_Type D, R, L (and T where it is not implied by the general category) for non-mark code points.
    private static let joiningTypes: [(ClosedRange<UInt32>, JoiningType)] = [
        (0x0620...0x0620, .dual), (0x0622...0x0625, .right),
        (0x0626...0x0626, .dual), (0x0627...0x0627, .right),
        (0x0628...0x0628, .dual), (0x0629...0x0629, .right),
        (0x062A...0x062E, .dual), (0x062F...0x0632, .right),
        (0x0633...0x0647, .dual), (0x0648...0x0648, .right),
        (0x0649...0x064A, .dual), (0x066E...0x066F, .dual),
        (0x0671...0x0673, .right), (0x0679...0x0687, .dual),
        (0x0688...0x0699, .right), (0x069A...0x06BF, .dual),
        (0x06C0...0x06C0, .right), (0x06C1...0x06C2, .dual),
        (0x06C3...0x06CB, .right), (0x06CC...0x06CC, .dual),
        (0x06CD...0x06CD, .right), (0x06CE...0x06CE, .dual),
        (0x06CF...0x06CF, .right), (0x06D0...0x06D1, .dual),
        (0x06D2...0x06D5, .right), (0x06EE...0x06EF, .right),
        (0x06FA...0x06FC, .dual), (0x06FF...0x06FF, .dual),
        (0x0710...0x0710, .right), (0x0712...0x0714, .dual),
        (0x0715...0x0719, .right), (0x071A...0x071D, .dual),
        (0x071E...0x071E, .right), (0x071F...0x0727, .dual),
        (0x0728...0x0728, .right), (0x0729...0x0729, .dual),
        (0x072A...0x072A, .right), (0x072B...0x072B, .dual),
        (0x072C...0x072C, .right), (0x072D...0x072E, .dual),
        (0x072F...0x074D, .right), (0x074E...0x0758, .dual),
        (0x0759...0x075B, .right), (0x075C...0x076A, .dual),
        (0x076B...0x076C, .right), (0x076D...0x0770, .dual),
        (0x0771...0x0771, .right), (0x0772...0x0772, .dual),
        (0x0773...0x0774, .right), (0x0775...0x0777, .dual),
        (0x0778...0x0779, .right), (0x077A...0x077F, .dual),
        (0x07CA...0x07EA, .dual), (0x0840...0x0840, .right),
        (0x0841...0x0845, .dual), (0x0846...0x0847, .right),
        (0x0848...0x0848, .dual), (0x0849...0x0849, .right),
        (0x084A...0x0853, .dual), (0x0854...0x0854, .right),
        (0x0855...0x0855, .dual), (0x0856...0x0858, .right),
        (0x0860...0x0860, .dual), (0x0862...0x0865, .dual),
        (0x0867...0x0867, .right), (0x0868...0x0868, .dual),
        (0x0869...0x0882, .right), (0x0886...0x0886, .dual),
        (0x0889...0x088D, .dual), (0x088E...0x088E, .right),
        (0x088F...0x08A9, .dual), (0x08AA...0x08AC, .right),
        (0x08AE...0x08AE, .right), (0x08AF...0x08B0, .dual),
        (0x08B1...0x08B2, .right), (0x08B3...0x08B8, .dual),
        (0x08B9...0x08B9, .right), (0x08BA...0x08C8, .dual),
        (0x1820...0x1878, .dual), (0x1887...0x18AA, .dual),
        (0xA840...0xA871, .dual), (0xA872...0xA872, .left),
        (0x10AC0...0x10AC4, .dual), (0x10AC5...0x10AC5, .right),
        (0x10AC7...0x10ACA, .right), (0x10ACD...0x10ACD, .left),
        (0x10ACE...0x10AD2, .right), (0x10AD3...0x10AD6, .dual),
        (0x10AD7...0x10AD7, .left), (0x10AD8...0x10ADC, .dual),
        (0x10ADD...0x10ADD, .right), (0x10ADE...0x10AE0, .dual),
        (0x10AE1...0x10AE1, .right), (0x10AE4...0x10AE4, .right),
        (0x10B80...0x10B80, .dual), (0x10B81...0x10B81, .right),
        (0x10B82...0x10B82, .dual), (0x10B83...0x10B85, .right),
        (0x10B86...0x10B88, .dual), (0x10B89...0x10B89, .right),
        (0x10B8A...0x10B8B, .dual), (0x10B8C...0x10B8C, .right),
        (0x10B8D...0x10B8D, .dual), (0x10B8E...0x10B8F, .right),
        (0x10B90...0x10B90, .dual), (0x10B91...0x10B91, .right),
        (0x10D00...0x10D00, .left), (0x10D01...0x10D21, .dual),
        (0x10D22...0x10D22, .right), (0x10D23...0x10D23, .dual),
        (0x10EC2...0x10EC2, .right), (0x10EC3...0x10EC4, .dual),
        (0x10EC6...0x10EC7, .dual), (0x10F30...0x10F32, .dual),
        (0x10F33...0x10F33, .right), (0x10F34...0x10F44, .dual),
        (0x10F70...0x10F73, .dual), (0x10F74...0x10F75, .right),
        (0x10F76...0x10FB0, .dual), (0x10FB2...0x10FB3, .dual),
        (0x10FB4...0x10FB6, .right), (0x10FB8...0x10FB8, .dual),
        (0x10FB9...0x10FBA, .right), (0x10FBB...0x10FBC, .dual),
        (0x10FBD...0x10FBD, .right), (0x10FBE...0x10FBF, .dual),
        (0x10FC1...0x10FC1, .dual), (0x10FC2...0x10FC3, .right),
        (0x10FC4...0x10FC4, .dual), (0x1E922...0x1E943, .dual),
        (0x1E94B...0x1E94B, .transparent),
    ]

    private static let greek: [ClosedRange<UInt32>] = [
        0x0370...0x0373, 0x0375...0x0377, 0x037A...0x037D, 0x037F...0x037F,
        0x0384...0x0384, 0x0386...0x0386, 0x0388...0x038A, 0x038C...0x038C,
        0x038E...0x03A1, 0x03A3...0x03E1, 0x03F0...0x03FF, 0x1D26...0x1D2A,
        0x1D5D...0x1D61, 0x1D66...0x1D6A, 0x1DBF...0x1DBF, 0x1F00...0x1F15,
        0x1F18...0x1F1D, 0x1F20...0x1F45, 0x1F48...0x1F4D, 0x1F50...0x1F57,
        0x1F59...0x1F59, 0x1F5B...0x1F5B, 0x1F5D...0x1F5D, 0x1F5F...0x1F7D,
        0x1F80...0x1FB4, 0x1FB6...0x1FC4, 0x1FC6...0x1FD3, 0x1FD6...0x1FDB,
        0x1FDD...0x1FEF, 0x1FF2...0x1FF4, 0x1FF6...0x1FFE, 0x2126...0x2126,
        0xAB65...0xAB65, 0x10140...0x1018E, 0x101A0...0x101A0, 0x1D200...0x1D245,
    ]

    private static let hebrew: [ClosedRange<UInt32>] = [
        0x0591...0x05C7, 0x05D0...0x05EA, 0x05EF...0x05F4, 0xFB1D...0xFB36,
        0xFB38...0xFB3C, 0xFB3E...0xFB3E, 0xFB40...0xFB41, 0xFB43...0xFB44,
        0xFB46...0xFB4F,
    ]

    private static let hiragana: [ClosedRange<UInt32>] = [
        0x3041...0x3096, 0x309D...0x309F, 0x1B001...0x1B11F, 0x1B132...0x1B132,
        0x1B150...0x1B152, 0x1F200...0x1F200,
    ]

    private static let katakana: [ClosedRange<UInt32>] = [
        0x30A1...0x30FA, 0x30FD...0x30FF, 0x31F0...0x31FF, 0x32D0...0x32FE,
        0x3300...0x3357, 0xFF66...0xFF6F, 0xFF71...0xFF9D, 0x1AFF0...0x1AFF3,
        0x1AFF5...0x1AFFB, 0x1AFFD...0x1AFFE, 0x1B000...0x1B000, 0x1B120...0x1B122,
        0x1B155...0x1B155, 0x1B164...0x1B167,
    ]

    private static let han: [ClosedRange<UInt32>] = [
        0x2E80...0x2E99, 0x2E9B...0x2EF3, 0x2F00...0x2FD5, 0x3005...0x3005,
        0x3007...0x3007, 0x3021...0x3029, 0x3038...0x303B, 0x3400...0x4DBF,
        0x4E00...0x9FFF, 0xF900...0xFA6D, 0xFA70...0xFAD9, 0x16FE2...0x16FE3,
        0x16FF0...0x16FF6, 0x20000...0x2A6DF, 0x2A700...0x2B81D, 0x2B820...0x2CEAD,
        0x2CEB0...0x2EBE0, 0x2EBF0...0x2EE5D, 0x2F800...0x2FA1D, 0x30000...0x3134A,
        0x31350...0x33479,
    ]
}
