import Foundation
import Testing
@testable import AllSparkData

@Suite("Structured: CSV tables")
struct StructuredTableTests {
    @Test func rfc4180QuotingCRLFAndEmbeddedNewlines() throws {
        let text = "name,\"note, with comma\",value\r\n\"Smith, J.\",\"said \"\"hi\"\"\r\nthen left\",3.5\r\nplain,,NA\r\n"
        let table = try CSVReader.parse(text, file: "t.csv", maxRows: 10)
        #expect(table.header == ["name", "note, with comma", "value"])
        #expect(table.rows == [["Smith, J.", "said \"hi\"\r\nthen left", "3.5"], ["plain", "", "NA"]])
        #expect(table.rowLines == [2, 4])
    }

    @Test func emptyLinesAreSkippedAndALastLineNeedsNoNewline() throws {
        let table = try CSVReader.parse("a,b\n\n1,2\n\n3,4", file: "t.csv", maxRows: 10)
        #expect(table.rows == [["1", "2"], ["3", "4"]])
        #expect(table.rowLines == [3, 5])
    }

    @Test func valuesAreNumbersCategoriesOrMissing() throws {
        #expect(try CSVTable.value(of: " 41 ", file: "f", line: 2, column: "c") == .number(41))
        #expect(try CSVTable.value(of: "-1.5e2", file: "f", line: 2, column: "c") == .number(-150))
        #expect(try CSVTable.value(of: "NA", file: "f", line: 2, column: "c") == .missing)
        #expect(try CSVTable.value(of: "NaN", file: "f", line: 2, column: "c") == .missing)
        #expect(try CSVTable.value(of: "nan", file: "f", line: 2, column: "c") == .missing)
        #expect(try CSVTable.value(of: "", file: "f", line: 2, column: "c") == .missing)
        #expect(try CSVTable.value(of: "NE", file: "f", line: 2, column: "c") == .category("NE"))
        expectLoadError(file: "f", mentions: ["line 7", "'c'", "infinite", "expected a finite number"]) {
            _ = try CSVTable.value(of: "inf", file: "f", line: 7, column: "c")
        }
    }

    @Test func loadsTheChosenRowWithTheTargetAsLabel() throws {
        let folder = try StructuredTempFolder()
        let path = try folder.write("air.csv", "\"\",\"Ozone\",\"Wind\",\"Station\"\n\"1\",41,7.4,north\n\"2\",NA,8,south\n")
        let first = try TableLoader().load(path: path, options: ["target": "Ozone", "unit": "ppb"], limits: .standard)
        #expect(first.content == .tableRow(columns: ["", "Ozone", "Wind", "Station"], values: [.number(1), .number(41), .number(7.4), .category("north")]))
        #expect(first.label == .value(41, unit: "ppb"))
        let second = try TableLoader().load(path: path, options: ["row": "1", "target": "Ozone"], limits: .standard)
        #expect(second.label == nil)   // missing target → no label
        let byClass = try TableLoader().load(path: path, options: ["row": "1", "target": "Station"], limits: .standard)
        #expect(byClass.label == .className("south"))
        let noTarget = try TableLoader().load(path: path, options: [:], limits: .standard)
        #expect(noTarget.label == nil)
    }

    @Test func badTablesAreErrors() throws {
        let folder = try StructuredTempFolder()
        func load(_ path: String, _ options: [String: String] = [:], limits: LoadLimits = .standard) throws {
            _ = try TableLoader().load(path: path, options: options, limits: limits)
        }
        let ragged = try folder.write("ragged.csv", "a,b,c\n1,2,3\n4,5\n")
        expectLoadError(file: ragged, mentions: ["line 3", "2 fields", "expected 3"]) { try load(ragged) }
        let headerless = try folder.write("headerless.csv", "1,2,3\n4,5,6\n")
        expectLoadError(file: headerless, mentions: ["line 1", "only numbers", "expected a header"]) { try load(headerless) }
        let unclosed = try folder.write("unclosed.csv", "a,b\n\"open,2\n3,4\n")
        expectLoadError(file: unclosed, mentions: ["line 2", "never closed", "expected a closing"]) { try load(unclosed) }
        let strayQuote = try folder.write("stray.csv", "a,b\nx\"y,2\n")
        expectLoadError(file: strayQuote, mentions: ["line 2", "double quote inside an unquoted field"]) { try load(strayQuote) }
        let afterQuote = try folder.write("after.csv", "a,b\n\"x\"y,2\n")
        expectLoadError(file: afterQuote, mentions: ["line 2", "after a closing quote", "expected a comma"]) { try load(afterQuote) }
        let duplicate = try folder.write("dup.csv", "a,b,a\n1,2,3\n")
        expectLoadError(file: duplicate, mentions: ["'a' appears twice", "unique"]) { try load(duplicate) }
        let infinite = try folder.write("inf.csv", "a,b\n1,2\n3,-Infinity\n")
        expectLoadError(file: infinite, mentions: ["line 3", "'b'", "infinite"]) { try load(infinite, ["row": "0"]) }
        let onlyHeader = try folder.write("header.csv", "a,b\n")
        expectLoadError(file: onlyHeader, mentions: ["no data rows", "expected at least one row"]) { try load(onlyHeader) }
        let empty = try folder.write("empty.csv", bytes: [])
        expectLoadError(file: empty, mentions: ["empty", "expected a CSV table"]) { try load(empty) }
        let blank = try folder.write("blank.csv", "\n\n")
        expectLoadError(file: blank, mentions: ["no records", "expected a header"]) { try load(blank) }
        let badUTF8 = try folder.write("latin1.csv", bytes: Array("a,b\n".utf8) + [0x63, 0xE9, 0x2C, 0x31, 0x0A])
        expectLoadError(file: badUTF8, mentions: ["invalid UTF-8", "byte offset 5"]) { try load(badUTF8) }
        let good = try folder.write("good.csv", "a,b\n1,2\n3,4\n")
        expectLoadError(file: good, mentions: ["row=2", "2 data rows"]) { try load(good, ["row": "2"]) }
        expectLoadError(file: good, mentions: ["row=-1"]) { try load(good, ["row": "-1"]) }
        expectLoadError(file: good, mentions: ["target=c", "'a', 'b'"]) { try load(good, ["target": "c"]) }
        expectLoadError(file: good, mentions: ["unknown sample option", "colour"]) { try load(good, ["colour": "red"]) }
        expectLoadError(file: good, mentions: ["more than 1 data rows", "maxRows"]) { try load(good, limits: structuredLimits(fileBytes: 1000, rows: 1)) }
        let large = try folder.write("large.csv", "a,b\n" + String(repeating: "1,2\n", count: 40))
        expectLoadError(file: large, mentions: ["164 bytes", "maxFileBytes"]) { try load(large, limits: structuredLimits()) }
        let directory = try folder.folder("dir.csv")
        expectLoadError(file: directory, mentions: ["is a folder"]) { try load(directory) }
    }
}
