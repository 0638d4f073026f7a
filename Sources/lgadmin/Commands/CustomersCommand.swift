import ArgumentParser
import Foundation
import PrivacyOps

extension CustomerStatus: ExpressibleByArgument {}

struct CustomersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "customers", abstract: "Customer records: list, show, add, update, note, import.",
        discussion: """
            Examples:
              lgadmin customers list --filter "zoe muller" --limit 20
              lgadmin customers show C0000001
              lgadmin customers add --name "Zoë Müller" --email zoe@example.net \\
                --service hosting --service email
              lgadmin customers update C0000001 --status suspended --expect-version 2
              lgadmin customers note C0000001 "Asked for a copy of the invoice."
              lgadmin customers import Assets/samples/customers.csv
            """,
        subcommands: [List.self, Show.self, Add.self, Update.self, Note.self, Import.self])

    static func printList(_ cs: [Customer]) {
        printList(CustomerCells(cs))
    }

    /// The customer table from cells read straight from the records (no `Customer` decoded).
    static func printList(_ cells: CustomerCells) {
        Output.table([.init(title: "ID"), .init(title: "NAME", maxWidth: 28), .init(title: "EMAIL", maxWidth: 32),
                      .init(title: "PHONE", maxWidth: 18), .init(title: "STATUS"), .init(title: "SERVICES", maxWidth: 30)],
                     cells: cells)
    }

    static func printCustomer(_ c: Customer) {
        Output.fields([("id", c.id), ("version", String(c.version)), ("name", c.name), ("email", c.email)]
                      + (c.alternateEmails.isEmpty ? [] : [("other emails", c.alternateEmails.joined(separator: ", "))])
                      + [("phone", c.phone ?? "-"), ("address", c.address ?? "-"), ("status", c.status.rawValue),
                         ("services", c.services.isEmpty ? "-" : c.services.joined(separator: ", ")),
                         ("created", c.createdAt), ("updated", c.updatedAt)])
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List customers in id order.")
        @Option(help: "Only customers whose name, email, phone or address contains this text (any case).") var filter: String?
        @Option(help: "Only customers with this status (active, suspended, closed).") var status: CustomerStatus?
        @Option(help: "At most this many.") var limit: Int?
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try perform {
                if let limit, limit < 0 { throw OpsError.usage("--limit must be 0 or more") }
                let ops = try store.open(readOnly: true)
                if output.json {
                    Output.json(try ops.listCustomers(filter: filter, status: status, limit: limit), required: Output.Keys.customer)
                } else {
                    CustomersCommand.printList(try ops.listCustomerCells(filter: filter, status: status, limit: limit))
                }
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one customer with contact points, suppressions and log.")
        @Argument(help: "Customer id, e.g. C0000001.") var id: String
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try perform {
                let ops = try store.open(readOnly: true)
                let d = try ops.customerDetail(id)
                if output.json { Output.json(d.customer, required: Output.Keys.customer); return }
                CustomersCommand.printCustomer(d.customer)
                Output.line()
                Output.line("contact points:")
                Output.table([.init(title: "CHANNEL"), .init(title: "CONTACT", maxWidth: 40), .init(title: "SUPPRESSED FOR", maxWidth: 50)],
                             d.contactPoints.map { [$0.point.channel.rawValue, $0.written, $0.suppressed.isEmpty ? "-" : $0.suppressed.map(\.rawValue).joined(separator: ",")] })
                if !d.notes.isEmpty {
                    Output.line()
                    Output.line("log:")
                    Output.table([.init(title: "AT"), .init(title: "BY"), .init(title: "NOTE", maxWidth: 80)],
                                 d.notes.map { [$0.at, $0.by, $0.text] })
                }
            }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a customer.")
        @Option(help: "Full name.") var name: String
        @Option(help: "Main e-mail address.") var email: String
        @Option(help: "Phone number.") var phone: String?
        @Option(help: "Postal address.") var address: String?
        @Option(name: .customLong("alt-email"), help: "Another e-mail address of the customer (repeatable).") var altEmails: [String] = []
        @Option(name: .customLong("service"), help: "A service the customer uses (repeatable).") var services: [String] = []
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try perform {
                let ops = try store.open()
                let c = try ops.addCustomer(CustomerInput(name: name, email: email, alternateEmails: altEmails, phone: phone,
                                                          address: address, services: services))
                if output.json { Output.json(c, required: Output.Keys.customer) } else { Output.line("added \(c.id)") }
            }
        }
    }

    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a customer's fields.")
        @Argument(help: "Customer id, e.g. C0000001.") var id: String
        @Option(help: "New full name.") var name: String?
        @Option(help: "New main e-mail address.") var email: String?
        @Option(help: "New phone; an empty value removes it.") var phone: String?
        @Option(help: "New address; an empty value removes it.") var address: String?
        @Option(help: "New status: active, suspended or closed.") var status: CustomerStatus?
        @Option(name: .customLong("service"), help: "Replaces the services (repeatable).") var services: [String] = []
        @Option(name: .customLong("alt-email"), help: "Replaces the other e-mail addresses (repeatable).") var altEmails: [String] = []
        @Option(name: .customLong("expect-version"), help: "Refuse (exit 75) unless the record is at this version.") var expectVersion: Int?
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try perform {
                let ops = try store.open()
                let c = try ops.updateCustomer(id, CustomerChanges(name: name, email: email, alternateEmails: altEmails.isEmpty ? nil : altEmails,
                                                                   phone: phone, address: address, status: status,
                                                                   services: services.isEmpty ? nil : services),
                                               expectVersion: expectVersion)
                if output.json { Output.json(c, required: Output.Keys.customer) } else { Output.line("updated \(c.id) (version \(c.version))") }
            }
        }
    }

    struct Note: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a note to a customer's log.")
        @Argument(help: "Customer id, e.g. C0000001.") var id: String
        @Argument(help: "The note (quote it).") var text: String
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try perform {
                let ops = try store.open()
                let n = try ops.addNote(customer: id, text: text)
                if output.json { Output.json(n) } else { Output.line("noted on \(id) (\(n.id))") }
            }
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import customers from CSV: all rows valid, or nothing imported.",
            discussion: "The header row names the columns: name, email (required), phone, address, services and alternate_emails (several separated by ;), status.")
        @Argument(help: "The CSV file (UTF-8).") var file: String
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try perform {
                let ops = try store.open()
                let cs = try ops.importCustomers(csvFile: file)
                if output.json { Output.json(cs, required: Output.Keys.customer) } else {
                    Output.line("imported \(cs.count) customer(s): \(cs.first?.id ?? "")…\(cs.last?.id ?? "")")
                }
            }
        }
    }
}
