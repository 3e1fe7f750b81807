import Testing

@testable import TrellisSchema

@Suite struct FormatCheckerTests {
    static let knownFormats = [
        "date-time", "date", "time", "duration", "email", "idn-email", "hostname", "idn-hostname",
        "ipv4", "ipv6", "uri", "uri-reference", "iri", "iri-reference", "uuid", "json-pointer",
        "relative-json-pointer", "uri-template",
    ]

    @Test(arguments: knownFormats)
    func knownFormatHasChecker(name: String) {
        #expect(FormatChecker.named(name)?.name == name)
    }

    @Test(arguments: ["regex", "unknown", "Date-Time", "int32", ""])
    func otherFormatsAreAnnotationsOnly(name: String) {
        #expect(FormatChecker.named(name) == nil)
    }

    @Test(arguments: [
        ("1963-06-19T08:30:06.283185Z", true),
        ("1963-06-19t08:30:06z", true),
        ("1937-01-01T12:00:27.87+00:20", true),
        ("1998-12-31T23:59:60Z", true),
        ("1998-12-31T15:59:60.123-08:00", true),
        ("1985-04-12T00:59:59.999999999999999Z", true),
        ("2020-02-29T00:00:00-00:00", true),
        ("1998-12-31T23:59:61Z", false),
        ("1998-12-31T23:58:60Z", false),
        ("1998-12-31T23:59:60+01:00", false),
        ("1990-02-31T15:59:59.123-08:00", false),
        ("1990-12-31T15:59:59-24:00", false),
        ("1963-06-19T08:30:06.28123+01:00Z", false),
        ("1990-12-31T24:00:00Z", false),
        ("1985-04-12T23:20:50+01", false),
        ("1985-04-12T23:20:50.Z", false),
        ("1985-04-12 23:20:50Z", false),
        ("1963-06-1\u{09EA}T00:00:00Z", false),
        ("+11963-06-19T08:30:06Z", false),
        ("1985-04-12T23:20:50Z\n", false),
    ])
    func dateTime(text: String, isValid: Bool) {
        #expect(check("date-time", text) == isValid)
    }

    @Test(arguments: [
        ("1963-06-19", true),
        ("2020-02-29", true),
        ("0400-02-29", true),
        ("0001-01-01", true),
        ("2021-02-29", false),
        ("2100-02-29", false),
        ("2020-04-31", false),
        ("2020-13-01", false),
        ("2020-00-10", false),
        ("2020-01-00", false),
        ("1998-1-20", false),
        ("20230328", false),
        ("2023-W13-2", false),
        ("12020-01-01", false),
        ("2020-01-01Z", false),
        ("\u{09E8}020-01-01", false),
        ("", false),
    ])
    func date(text: String, isValid: Bool) {
        #expect(check("date", text) == isValid)
    }

    @Test(arguments: [
        ("08:30:06Z", true),
        ("08:30:06.283185z", true),
        ("12:34:56-00:00", true),
        ("23:59:60Z", true),
        ("01:29:60+01:30", true),
        ("00:29:60-23:30", true),
        ("22:59:60Z", false),
        ("23:59:60+01:00", false),
        ("12:00:00", false),
        ("12:00:00.52", false),
        ("24:00:00Z", false),
        ("00:00:61Z", false),
        ("01:02:03+24:00", false),
        ("01:02:03Z+00:30", false),
        ("8:3:6Z", false),
        ("08:30:06 PST", false),
        ("1\u{09E8}:00:00Z", false),
    ])
    func time(text: String, isValid: Bool) {
        #expect(check("time", text) == isValid)
    }

    @Test(arguments: [
        ("P4DT12H30M5S", true),
        ("P1Y2M3DT4H5M6S", true),
        ("P1Y2M", true),
        ("P1M2D", true),
        ("PT36H", true),
        ("PT1M2S", true),
        ("P2W", true),
        ("P0D", true),
        ("P01D", true),
        ("P", false),
        ("PT", false),
        ("P1YT", false),
        ("PT1D", false),
        ("P2D1Y", false),
        ("P1D2H", false),
        ("P1Y2D", false),
        ("PT1H2S", false),
        ("P1Y2W", false),
        ("P1WT1H", false),
        ("PT0.5S", false),
        ("-P1D", false),
        ("P\u{09E8}Y", false),
    ])
    func duration(text: String, isValid: Bool) {
        #expect(check("duration", text) == isValid)
    }

    @Test(arguments: [
        ("joe.bloggs@example.com", true),
        ("te~st@example.com", true),
        ("\"joe bloggs\"@example.com", true),
        ("\"joe@bloggs\"@example.com", true),
        ("\"a\\\"b\"@example.com", true),
        ("joe.bloggs@[127.0.0.1]", true),
        ("joe.bloggs@[IPv6:::1]", true),
        ("x@xn--bcher-kva.example", true),
        ("2962", false),
        (".test@example.com", false),
        ("test.@example.com", false),
        ("te..st@example.com", false),
        ("joe bloggs@example.com", false),
        ("@example.com", false),
        ("joe.bloggs@", false),
        ("joe.bloggs@invalid=domain.com", false),
        ("joe.bloggs@[127.0.0.300]", false),
        ("joe.bloggs@[::1]", false),
        ("user1@oceania.org, user2@oceania.org", false),
        ("δοκιμή@example.com", false),
        ("user@bücher.example", false),
        (String(repeating: "a", count: 65) + "@example.com", false),
    ])
    func email(text: String, isValid: Bool) {
        #expect(check("email", text) == isValid)
    }

    @Test(arguments: [
        ("실례@실례.테스트", true),
        ("joe.bloggs@example.com", true),
        ("δοκιμή@example.com", true),
        ("\"δοκιμή\"@example.com", true),
        ("user@cafe\u{301}.com", true),
        ("\u{85}@example.com", true),
        ("𝕏@example.com", true),
        (String(repeating: "a", count: 64) + "@example.com", true),
        ("2962", false),
        ("user\u{FF20}example.com", false),
        ("user@\u{302E}example.com", false),
        (String(repeating: "é", count: 33) + "@example.com", false),
    ])
    func idnEmail(text: String, isValid: Bool) {
        #expect(check("idn-email", text) == isValid)
    }

    @Test(arguments: [
        ("www.example.com", true),
        ("1host", true),
        ("a--b.com", true),
        ("ab--cd.example", true),
        ("XN--BCHER-KVA.example", true),
        ("xn--4gbwdl.xn--wgbh1c", true),
        ("xn--11b2ezcw70k", true),
        ("xn--ngba5hb2804a", true),
        (String(repeating: "a", count: 63) + ".com", true),
        ("", false),
        (".", false),
        ("example.", false),
        ("a..b", false),
        ("-hostname", false),
        ("hostname-", false),
        ("host_name", false),
        ("example\u{FF0E}com", false),
        ("\u{212A}elvin.example.com", false),
        ("bücher.example", false),
        (String(repeating: "a", count: 64) + ".com", false),
        (Array(repeating: String(repeating: "a", count: 63), count: 4).joined(separator: "."), false),
        ("xn--X", false),
        ("xn--example-", false),
        ("XN--aa---o47jg78q", false),
        ("xn--07jt112bpxg.xn--9t4b11yi5a", false),
        ("xn--hello-txk", false),
        ("xn--11b2er09f", false),
        ("example.com\n", false),
    ])
    func hostname(text: String, isValid: Bool) {
        #expect(check("hostname", text) == isValid)
    }

    @Test(arguments: [
        ("실례.테스트", true),
        ("bücher.example", true),
        ("xn--ihqwcrb4cv8a8dqg056pqjye", true),
        ("a。b", true),
        ("a．b", true),
        ("a｡b", true),
        ("ßς་〇", true),
        ("۽۾", true),
        ("l·l", true),
        ("α͵β", true),
        ("א׳ב", true),
        ("א״ב", true),
        ("・ぁ", true),
        ("・丈", true),
        ("ب٠ب", true),
        ("۰0", true),
        ("क्\u{200D}ष", true),
        ("क्\u{200C}ष", true),
        ("بي\u{200C}بي", true),
        ("〮실례.테스트", false),
        ("실〮례.테스트", false),
        ("ـߺ", false),
        ("〱〲〳〴〵〮〯〻", false),
        ("a·l", false),
        ("l·", false),
        ("α͵S", false),
        ("A׳ב", false),
        ("def・abc", false),
        ("・", false),
        ("ب٠۰", false),
        ("क\u{200D}ष", false),
        ("\u{200D}ष", false),
        ("क्\u{200C}षx\u{200C}y", false),
        ("\u{0903}hello", false),
        ("\u{0300}hello", false),
        ("\u{0488}hello", false),
        ("-hello", false),
        ("ab--cd", false),
        ("Bücher", false),
        ("cafe\u{301}", false),
        ("0a.א", false),
        ("aא", false),
        ("א0٠", false),
        ("xn--0ca24w", false),
        ("xn---9uc", false),
        (String(repeating: "ü", count: 60), false),
        ("example。", false),
        ("。", false),
    ])
    func idnHostname(text: String, isValid: Bool) {
        #expect(check("idn-hostname", text) == isValid)
    }

    @Test(arguments: [
        ("192.168.0.1", true),
        ("0.0.0.0", true),
        ("255.255.255.255", true),
        ("127.0.0.0.1", false),
        ("256.256.256.256", false),
        ("127.1", false),
        ("087.10.0.1", false),
        ("0x7f000001", false),
        ("1\u{09E8}7.0.0.1", false),
        ("１９２.１６８.１.１", false),
        ("192.168.1.0/24", false),
        ("192.168.0.1\n", false),
        ("", false),
    ])
    func ipv4(text: String, isValid: Bool) {
        #expect(check("ipv4", text) == isValid)
    }

    @Test(arguments: [
        ("::", true),
        ("::1", true),
        ("d6::", true),
        ("1:d6::42", true),
        ("1:2:3:4:5:6:7:8", true),
        ("::ffff:192.168.0.1", true),
        ("1000:1000:1000:1000:1000:1000:255.255.255.255", true),
        ("12345::", false),
        ("1::d6::42", false),
        ("1:2:3:4:5:::8", false),
        (":2:3:4:5:6:7:8", false),
        ("1:2:3:4:5:6:7:", false),
        ("1:2:3:4:5:6:7", false),
        ("1:2:3:4:5:6:7:8:9", false),
        ("::1.2.3.4:5", false),
        ("::ffff:192.168.0.01", false),
        ("1:2:3:4:1.2.3", false),
        ("fe80::a%eth1", false),
        ("fe80::/64", false),
        ("[::1]", false),
        ("1:2:3:4:5:6:7:\u{09EA}", false),
    ])
    func ipv6(text: String, isValid: Bool) {
        #expect(check("ipv6", text) == isValid)
    }

    @Test(arguments: [
        ("http://foo.bar/?baz=qux#quux", true),
        ("http://-.~_!$&'()*+,;=:%40:80%2f::::::@example.com", true),
        ("ldap://[2001:db8::7]/c=GB?objectClass?one", true),
        ("http://[v1.fe]/", true),
        ("http://999.999.999.999/", true),
        ("urn:oasis:names:specification:docbook:dtd:xml:4.1.2", true),
        ("mailto:John.Doe@example.com", true),
        ("file:/etc/hosts", true),
        ("http:", true),
        ("//foo.bar/?baz=qux#quux", false),
        ("abc", false),
        ("1http://example.com", false),
        ("bar,baz:foo", false),
        ("http:// shouldfail.com", false),
        ("https://[@example.org/test.txt", false),
        ("https://example.org/foobar®.txt", false),
        ("https://example.org/foo\\bar", false),
        ("http://example.com/%6G", false),
        ("http://example.com/%A", false),
        ("http://example.com:abc/path", false),
        ("http://[::ffff:01.2.3.4]", false),
        ("http:/[::1]", false),
        ("http://a/b#c#d", false),
    ])
    func uri(text: String, isValid: Bool) {
        #expect(check("uri", text) == isValid)
    }

    @Test(arguments: [
        ("", true),
        ("abc", true),
        ("/abc", true),
        ("//", true),
        ("?query=1", true),
        ("#fragment", true),
        ("./this:that", true),
        ("http://foo.bar/?baz=qux#quux", true),
        ("1:b", false),
        ("\\\\WINDOWS\\fileshare", false),
        ("#frag\\ment", false),
        ("/foobar®.txt", false),
        ("/%zz", false),
        ("/[::1]", false),
        ("//a@b@example.com/", false),
    ])
    func uriReference(text: String, isValid: Bool) {
        #expect(check("uri-reference", text) == isValid)
    }

    @Test(arguments: [
        ("http://ƒøø.ßår/?∂éœ=πîx#πîüx", true),
        ("http://[2001:db8::1]", true),
        ("http://ƒøø.ßår/𐌀", true),
        ("http://ƒøø.ßår/?q=\u{F0000}", true),
        ("urn:example:resource", true),
        ("âππ", false),
        ("/abc", false),
        ("http://ƒøø.ßår/#\u{F0000}", false),
        ("http://ƒøø.ßår/\u{FFFE}", false),
        ("http://2001:0db8:85a3:0000:0000:8a2e:0370:7334", false),
        ("http://ƒøø.ßår/\n", false),
    ])
    func iri(text: String, isValid: Bool) {
        #expect(check("iri", text) == isValid)
    }

    @Test(arguments: [
        ("âππ", true),
        ("/âππ", true),
        ("//ƒøø.ßår/?∂éœ=πîx#πîüx", true),
        ("#ƒrägmênt", true),
        ("#ƒräg\\mênt", false),
        ("\\\\WINDOWS\\filëßåré", false),
    ])
    func iriReference(text: String, isValid: Bool) {
        #expect(check("iri-reference", text) == isValid)
    }

    @Test(arguments: [
        ("2EB8AA08-AA98-11EA-B4AA-73B441D16380", true),
        ("2eb8aa08-AA98-11ea-B4Aa-73B441D16380", true),
        ("00000000-0000-0000-0000-000000000000", true),
        ("99c17cbb-656f-f64a-940f-1a4568f03487", true),
        ("2eb8aa08-aa98-11ea-b4aa-73b441d1638", false),
        ("2eb8aa08aa9811eab4aa73b441d16380", false),
        ("2eb8aa0-8aa98-11e-ab4aa7-3b441d16380", false),
        ("2eb8aa08-aa98-11ea-b4ga-73b441d16380", false),
        ("urn:uuid:2eb8aa08-aa98-11ea-b4aa-73b441d16380", false),
        ("2eb8aa08-aa98-11ea-b4aa-73b441d16380\n", false),
    ])
    func uuid(text: String, isValid: Bool) {
        #expect(check("uuid", text) == isValid)
    }

    @Test(arguments: [
        ("", true),
        ("/", true),
        ("/foo/bar~0/baz~1/%a", true),
        ("/foo//bar", true),
        ("/~1~0~0~1~1", true),
        ("/ ", true),
        ("/foo\u{0}bar\n", true),
        ("/foo/bar/😎", true),
        ("#/", false),
        ("a/a", false),
        ("/foo/bar~", false),
        ("/~2", false),
        ("/~-1", false),
    ])
    func jsonPointer(text: String, isValid: Bool) {
        #expect(check("json-pointer", text) == isValid)
    }

    @Test(arguments: [
        ("0", true),
        ("1", true),
        ("0#", true),
        ("0/foo/bar", true),
        ("120/foo/bar", true),
        ("100", true),
        ("0//", true),
        ("", false),
        ("/foo/bar", false),
        ("-1/foo/bar", false),
        ("+1/foo/bar", false),
        ("01/a", false),
        ("0##", false),
        ("1#/foo/bar", false),
        ("0/~2", false),
        ("\u{0661}/foo", false),
        ("1\n", false),
    ])
    func relativeJSONPointer(text: String, isValid: Bool) {
        #expect(check("relative-json-pointer", text) == isValid)
    }

    @Test(arguments: [
        ("", true),
        ("http://example.com/dictionary/{term:1}/{term}", true),
        ("{+var}{#var}{.var}{/var}{;var}{?var}{&var}", true),
        ("{var*}", true),
        ("{x,y}", true),
        ("{a.b}", true),
        ("{%41}", true),
        ("{v:9999}", true),
        ("a%41b", true),
        ("a😀b", true),
        ("a'b", true),
        ("http://example.com/dictionary/{term:1}/{term", false),
        ("{}", false),
        ("{a,,b}", false),
        ("{a,}", false),
        ("{a..b}", false),
        ("{v:0}", false),
        ("{v:01}", false),
        ("{v:10000}", false),
        ("{var=def}", false),
        ("{=var}", false),
        ("foo}bar", false),
        ("{{a}}", false),
        ("a b", false),
        ("a%4", false),
        ("a\u{7F}b", false),
    ])
    func uriTemplate(text: String, isValid: Bool) {
        #expect(check("uri-template", text) == isValid)
    }

    @Test(arguments: [
        ("bücher", "bcher-kva"),
        ("他们为什么不说中文", "ihqwcrb4cv8a8dqg056pqjye"),
        ("München-Ost", "Mnchen-Ost-9db"),
        ("ü", "tda"),
    ])
    func punycodeRoundTrip(decoded: String, encoded: String) {
        #expect(String(String.UnicodeScalarView(Punycode.encode(Array(decoded.unicodeScalars)))) == encoded)
        let roundTrip = Punycode.decode(Array(encoded.unicodeScalars)).map { String(String.UnicodeScalarView($0)) }
        #expect(roundTrip == decoded)
    }

    @Test(arguments: ["9", "zzzzzzzzzzzzzzzzzzzz", "aé", "é-a"])
    func malformedPunycode(encoded: String) {
        #expect(Punycode.decode(Array(encoded.unicodeScalars)) == nil)
    }

    private func check(_ format: String, _ text: String) -> Bool {
        guard let checker = FormatChecker.named(format) else {
            Issue.record("no checker for \(format)")
            return false
        }
        return checker.check(text)
    }
}
