import Testing

@testable import PrivacyOps

/// Record ids by their form: case-insensitive, zeros optional, anything else not an id.
@Suite struct RecordLookupTests {
    @Test func idsByTheirForm() {
        #expect(PrivacyOps.recordID("C0000004")?.id == "C0000004")
        #expect(PrivacyOps.recordID("c4")?.id == "C0000004")
        #expect(PrivacyOps.recordID(" o000012 ")?.kind == .optOut)
        #expect(PrivacyOps.recordID("o12")?.id == "O000012")
        #expect(PrivacyOps.recordID("R000003")?.kind == .report)
        #expect(PrivacyOps.recordID("d1")?.id == "D000001")
        #expect(PrivacyOps.recordID("C12345678")?.id == "C12345678")
        for text in ["customers", "q", "C", "X0001", "C12a", "R-1", "", "C١٢"] {
            #expect(PrivacyOps.recordID(text) == nil, "\(text)")
        }
    }
}
