/// The customers a filter must look at. On a PostgreSQL store the server narrows them down first,
/// through the trigram index, to the records holding the filter's prefilter text in any ASCII
/// case: a superset of the matches (the same test the fast path starts with), which the
/// caller then checks record by record, so both backends give the same results. A filter the
/// prefilter cannot decide (a phone number's digits, which may be stored with separators; text
/// that non-ASCII letters fold into) reads every customer, as on files.
extension CustomerQuery {
    func candidateRecords(on view: any StoreSnapshot) -> any RawRecordTable {
        let all = Collections.customers.name
        guard text != nil, let pg = view as? PostgresSnapshot else { return view.rawRecords(all) }
        let p = Prepared(self)
        guard p.digits == nil, p.foldPairs.isEmpty, let needle = p.prefilter, needle.bytes.count >= 3 else {
            return view.rawRecords(all)
        }
        return pg.candidates(all, containing: needle.bytes)
    }
}
