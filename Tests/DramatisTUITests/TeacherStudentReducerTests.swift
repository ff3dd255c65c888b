import DramatisCore
import Foundation
import Testing
@testable import DramatisTUI

/// Teacher/student compare mode in the chat: each round records the teacher's letter and the student persona's
/// snapshot; the compare notice names the roles.
@Suite struct TeacherStudentReducerTests {
    @Test func aRoundRecordsTheTeacherAndTheStudentsSystemPrompt() throws {
        var driver = CompareFixtures.driver(other: CompareFixtures.haiku)
        driver.state.chat!.compare?.teacher = "A"
        CompareFixtures.round(&driver)
        let (_, round) = try #require(CompareFixtures.latestRound(driver))
        #expect(round.teacher == "A")
        #expect(round.student == CompareStudent(persona: "haiku", systemPrompt: "You answer every question with a haiku."))
        #expect(round.teacherSide?.reply == round.sides[0].reply)
        driver.press(.character("a"))
        #expect(StudentExamples.studentPersonaIDs(in: driver.conversation) == ["haiku"])
        let view = try #require(StudentExamples.conversation(for: "haiku", from: driver.conversation))
        #expect(ExportFormat.openai.lines(for: view).count == 1)
    }

    @Test func withoutATeacherNothingIsRecordedForAStudent() throws {
        var driver = CompareFixtures.driver(other: CompareFixtures.haiku)
        CompareFixtures.round(&driver)
        let (_, round) = try #require(CompareFixtures.latestRound(driver))
        #expect(round.teacher == nil && round.student == nil)
    }

    @Test func theChoiceFromTheCommandLineCarriesTheTeacherAndTheNoticeNamesTheRoles() {
        var state = Fixtures.chatState()
        var choice = CompareChoice(otherPersona: CompareFixtures.haiku)
        choice.teacher = "B"
        state.chat!.compareChoice = choice.setup(for: state.chat!.conversation)
        var driver = Driver(state)
        driver.press(.function(7))
        #expect(driver.chat.compare?.teacher == "B")
        #expect(driver.chat.compare?.studentSource?.persona.id == Fixtures.clippy.id)
        #expect(driver.state.notice?.text.contains("(teacher)") == true && driver.state.notice?.text.contains("(student)") == true)
    }
}
