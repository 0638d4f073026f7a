/// The customers a filter must look at. On a PostgreSQL store the server narrows them down first,
/// through the trigram index on ``CustomerSearchKey``: the customers whose key holds the
/// filter's match key (or, for a phone number, its digits). That is a superset of the matches,
/// which the caller then checks record by record as on files, so both backends give the same
/// results. With no filter at all and a `limit`, only the first `limit` customers are read.
extension CustomerQuery {
    func candidateRecords(on view: any StoreSnapshot, limit: Int?) -> any RawRecordTable {
        let all = Collections.customers.name
        guard let pg = view as? PostgresSnapshot else { return view.rawRecords(all) }
        guard let text else {
            if status == nil, let limit { return pg.firstRecords(all, limit: limit) }
            return view.rawRecords(all)
        }
        let key = CaseFold.folded(text)
        guard !key.contains(CustomerSearchKey.separator) else { return view.rawRecords(all) }
        var keys = [key]
        if let digits = Prepared(self).digits { keys.append(String(decoding: digits, as: UTF8.self)) }
        return pg.candidates(all, searchKeyContainsAnyOf: keys)
    }
}
