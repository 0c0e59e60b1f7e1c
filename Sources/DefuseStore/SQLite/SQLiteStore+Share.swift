import DefuseDomain

extension SQLiteStore {
    public func saveShareLink(escalation: Int, salt: String, hash: String, user: String, at: Timestamp) throws {
        let s = try db.prepare("INSERT INTO share_links (escalation, salt, hash, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5)")
        try s.bind(1, escalation); try s.bind(2, salt); try s.bind(3, hash); try s.bind(4, user); try s.bind(5, at.micros)
        try s.step()
    }

    public func shareLinkEscalation(hash: String) throws -> Int? {
        try db.withCached("SELECT escalation FROM share_links WHERE hash = ?1 AND revoked_at IS NULL") { s in
            try s.bind(1, hash)
            return try s.step() ? s.int(0) : nil
        }
    }

    public func liveShareLinks(escalation: Int) throws -> [ShareLink] {
        let s = try db.prepare("""
            SELECT id, salt, created_at, created_by FROM share_links WHERE escalation = ?1 AND revoked_at IS NULL ORDER BY id DESC
            """)
        try s.bind(1, escalation)
        var out: [ShareLink] = []
        while try s.step() { out.append(ShareLink(id: s.int(0), salt: s.string(1), createdAt: Timestamp(micros: s.int64(2)), createdBy: s.string(3))) }
        return out
    }

    public func revokeShareLinks(escalation: Int, at: Timestamp) throws -> Int {
        let s = try db.prepare("UPDATE share_links SET revoked_at = ?2 WHERE escalation = ?1 AND revoked_at IS NULL")
        try s.bind(1, escalation); try s.bind(2, at.micros)
        try s.step()
        return db.changes
    }
}
